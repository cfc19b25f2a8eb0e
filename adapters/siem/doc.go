// Package siem forwards the ledger's events to security tooling (SIEMs, buses, archives) as
// CloudEvents 1.0 JSON messages (events.ToCloudEvent), through Watermill: for every configured
// sink, a watermill Subscriber over the event store (ledgerSubscriber) feeds a router handler
// that publishes to the sink, wrapped in PoisonQueue and Retry middleware. Sinks: NATS
// JetStream (watermill-nats), RabbitMQ (watermill-amqp), Kafka (watermill-kafka), an HMAC-signed
// HTTPS webhook and a rotating JSON-lines file (publishers of this package).
//
// Invariants:
//   - At least once: a sink's checkpoint (its row in the Postgres table siem_checkpoints) only
//     ever moves past events the sink acknowledged, that were poisoned, or that were not meant
//     for it (system events, non-ledger events, filtered out). It is stored every 200 ms while it
//     moves, every 1,000 acknowledgements and when the forwarder stops; after a crash the events
//     after the stored checkpoint are forwarded again. Nothing is skipped.
//   - Deduplication: a message's UUID is the ledger event id, which is also the CloudEvent id
//     (and NATS's Nats-Msg-Id, AMQP's message id). Consumers deduplicate on it.
//   - Order: a sink never has two events of one ledger stream in flight, so each stream reaches
//     it in revision order (redeliveries after a crash aside). Events of different streams may
//     overtake each other.
//   - Isolation: every sink has its own subscription, checkpoint, publisher and in-flight window;
//     a sink that is down holds back only itself, and resumes from its checkpoint when it is back.
//   - Failures: a delivery that fails is retried with exponential backoff (retry.max_retries).
//     An event the sink rejects is then sent to the sink's poison destination with the error in
//     its metadata (reason_poisoned) and counts as delivered; a permanent rejection (a webhook's
//     4xx other than 408/429) goes there without retries. An unreachable sink never poisons: the
//     event is redelivered until the sink takes it.
//   - One node per sink: with Options.Leases a sink's subscriber forwards only while its node
//     holds the lease "siem/<sink>"; every checkpoint is stored in a transaction that verifies the
//     lease and records its fencing token (siem_checkpoints.fence), and a checkpoint written
//     under a newer token is never overwritten. When the lease is lost the subscriber stops
//     emitting, waits for the deliveries in flight, and waits for the lease again; the new holder
//     resumes from the stored checkpoint, so a takeover may deliver an event twice, never skip one.
//   - Filters: a sink with type prefixes gets only events whose ledger type starts with one; with
//     stream prefixes, only events whose stream starts with one; with both, events passing both.
package siem
