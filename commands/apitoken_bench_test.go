package commands_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/infra/embeddedstore/storetest"
)

// BenchmarkAuthenticateAPIToken measures what an API token costs each request: reading the
// token's stream from the embedded store through the client, and the hash comparison.
func BenchmarkAuthenticateAPIToken(b *testing.B) {
	ctx := context.Background()
	h, err := commands.NewApplication(eventstore.New(storetest.Client(b, storetest.Start(b))), nil, commands.URLs{Base: "http://127.0.0.1:8080"})
	require.NoError(b, err)
	issued, err := h.IssueAPIToken.Handle(ctx, commands.IssueAPIToken{CommandID: uuid.New(), TokenID: uuid.New(),
		Role: domain.RoleViewer, TTL: time.Hour}, devops)
	require.NoError(b, err)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := h.Queries.AuthenticateAPIToken(ctx, issued.Token); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "auths/s")
}
