package config

import (
	"strconv"
	"time"
)

// Audit is how often ledgerd signs checkpoints of the Merkle tree over $all: every
// AuditCheckpointInterval, or as soon as the tree has grown by AuditCheckpointEvery leaves,
// whichever comes first, and never while the tree has not grown.
type Audit struct {
	AuditCheckpointInterval string `json:"audit_checkpoint_interval"`
	AuditCheckpointEvery    string `json:"audit_checkpoint_every"`
}

var auditSettings = []setting{
	{"LEDGER_AUDIT_CHECKPOINT_INTERVAL", "audit-checkpoint-interval", "1m", "sign a checkpoint this often while the tree grows (1s to 24h)",
		func(c *Config) *string { return &c.AuditCheckpointInterval }},
	{"LEDGER_AUDIT_CHECKPOINT_EVERY", "audit-checkpoint-every", "10000", "sign a checkpoint as soon as the tree has grown by this many events",
		func(c *Config) *string { return &c.AuditCheckpointEvery }},
}

// CheckpointInterval returns AuditCheckpointInterval parsed.
func (a Audit) CheckpointInterval() time.Duration {
	d, _ := time.ParseDuration(a.AuditCheckpointInterval) // Validate checked it
	return d
}

// CheckpointEvery returns AuditCheckpointEvery parsed.
func (a Audit) CheckpointEvery() int64 {
	n, _ := strconv.ParseInt(a.AuditCheckpointEvery, 10, 64) // Validate checked it
	return n
}

// validate reports each bad audit setting through bad.
func (a Audit) validate(bad func(flagName, format string, args ...any)) {
	if d, err := time.ParseDuration(a.AuditCheckpointInterval); err != nil || d < time.Second || d > 24*time.Hour {
		bad("audit-checkpoint-interval", "%q is not a duration from 1s to 24h", a.AuditCheckpointInterval)
	}
	if n, err := strconv.ParseInt(a.AuditCheckpointEvery, 10, 64); err != nil || n < 1 || n > 1_000_000_000 {
		bad("audit-checkpoint-every", "%q is not a number of events from 1 to 1000000000", a.AuditCheckpointEvery)
	}
}
