// Package fleet is the fleet read model: the projection "fleet" turns agent and deployment events
// into the tables agents and deployments of the schema rm_fleet, and Queries lists them for the
// REST API, the TLS listener (which agent a client certificate is) and the agents' task polls.
//
// # Tables (schema rm_fleet)
//
//   - agents: one row per agent from its AgentJoinTokenIssued on; enrollment, the last recorded
//     heartbeat (host, version, state, last_seen) and revocation update it.
//   - deployments: one row per deployment from DeploymentRequested on, with its target, its
//     certificate once issued, and how it ended.
//
// position is the $all position of the last event that changed a row. An agent's tasks are its
// open deployments (requested or issued); an agent waits for tasks by the highest position of
// its deployments' rows, so a poll resumes from a position and a restart of ledgerd loses no
// task: the tasks are rows derived from events, not messages held in memory.
//
// # Invariants
//
//   - The read model never holds a join token's secret or its hash: enrollment reads the agent's
//     stream (commands.EnrollAgentHandler).
//   - Rows depend only on the events: every time column comes from an event, never from the clock.
//   - An event for an agent or deployment the table does not have stops the projection: the read
//     model and the ledger disagree.
//
// Queries name their tables schema-qualified, because a rebuild swaps the schema under them.
package fleet
