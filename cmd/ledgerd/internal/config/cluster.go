package config

import "time"

// Cluster is how this ledgerd takes part in a cluster of nodes on one event store and one
// Postgres: its node id, and the TTL of the leases its singleton jobs run under.
type Cluster struct {
	// NodeID names the node in cluster_leases and cluster_nodes; empty means hostname-pid.
	NodeID string `json:"node_id"`
	// LeaseTTL is how long a lease outlives its holder's last renewal: the longest a job stays
	// orphaned after a node dies.
	LeaseTTL string `json:"lease_ttl"`
}

var clusterSettings = []setting{
	{"LEDGER_NODE_ID", "node-id", "", "this node's id in the cluster; empty: hostname-pid",
		func(c *Config) *string { return &c.NodeID }},
	{"LEDGER_LEASE_TTL", "lease-ttl", "6s", "how long a job's lease outlives its node's last renewal (1s to 10s)",
		func(c *Config) *string { return &c.LeaseTTL }},
}

// LeaseTTLValue returns LeaseTTL parsed.
func (c Cluster) LeaseTTLValue() time.Duration {
	d, _ := time.ParseDuration(c.LeaseTTL) // Validate checked it
	return d
}

// validate reports each bad cluster setting through bad.
func (c Cluster) validate(bad func(flagName, format string, args ...any)) {
	if d, err := time.ParseDuration(c.LeaseTTL); err != nil || d < time.Second || d > 10*time.Second {
		bad("lease-ttl", "%q is not a duration from 1s to 10s", c.LeaseTTL)
	}
	if len(c.NodeID) > 200 {
		bad("node-id", "is longer than 200 characters")
	}
}
