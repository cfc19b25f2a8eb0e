package commands_test

import (
	"bytes"
	"context"
	"crypto"
	"testing"

	"github.com/digitorus/timestamp"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
)

// BenchmarkIssueTimestamp measures RFC 3161 tokens with 16 concurrent clients from a P-256
// TSA key in SoftHSM — the intent and TimestampIssued durable in the embedded store, the
// TSTInfo and SignedData built — beside raw SoftHSM P-256 signatures by the same key with as
// many clients, reporting the share of raw signing reached (raw_share).
func BenchmarkIssueTimestamp(b *testing.B) {
	k := newBenchKey(b, domain.UsageTimestamp)
	query, err := timestamp.CreateRequest(bytes.NewReader([]byte("artifact")), &timestamp.RequestOptions{Hash: crypto.SHA256, Certificates: true})
	require.NoError(b, err)
	b.Run("timestamp_durable", func(b *testing.B) {
		k.against(b, "tokens/s", func() error {
			_, err := k.h.IssueTimestamp.Handle(context.Background(), commands.IssueTimestamp{CommandID: uuid.New(),
				TimestampID: uuid.New(), KeyID: k.keyID, Request: query}, commands.Caller{})
			return err
		})
	})
}
