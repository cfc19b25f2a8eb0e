package renewal_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
)

// BenchmarkSchedulerRound measures one scheduler round over 200 freshly issued certificates
// whose renewal is due at once, on the real store, Postgres and SoftHSM: "due" records a
// RenewalDue for each (notify mode); "renew" runs the automatic renewal of each (reuse_csr:
// a request, a CA signature in the HSM, the old certificate superseded). It reports
// certificates per second of the round.
func BenchmarkSchedulerRound(b *testing.B) {
	for _, mode := range []string{domain.RenewalNotify, domain.RenewalReuseCSR} {
		name := map[string]string{domain.RenewalNotify: "due", domain.RenewalReuseCSR: "renew"}[mode]
		b.Run(name, func(b *testing.B) {
			w := newWorld(b)
			app := w.ledgerd(b)
			s := w.scheduler(app)
			ctx := context.Background()
			const n = 200
			var total time.Duration
			round := 0
			for b.Loop() {
				b.StopTimer()
				// A profile of the round's own: the successors of earlier rounds stay out of it.
				round++
				name := fmt.Sprintf("bench-%d", round)
				namedProfile(b, app, name, domain.RenewalPolicy{DaysBefore: 30, Mode: mode}, false)
				ids := issueIn(b, app, name, n)
				if mode == domain.RenewalReuseCSR { // due already: the round renews
					for _, id := range ids {
						_, err := app.DueRenewal.Handle(ctx, commands.DueRenewal{CertificateID: id})
						require.NoError(b, err)
					}
				}
				w.waitLive(b)
				b.StartTimer()
				start := time.Now()
				r, err := s.Sweep(ctx)
				total += time.Since(start)
				require.NoError(b, err)
				if mode == domain.RenewalNotify {
					require.Equal(b, n, r.Due)
				} else {
					require.Equal(b, n, r.Attempted)
				}
				b.StopTimer()
				// The successors are due at once too: from now on, only after 2/3 of their lifetime.
				namedProfile(b, app, name, domain.RenewalPolicy{Mode: mode}, true)
				w.waitLive(b)
				b.StartTimer()
			}
			b.ReportMetric(float64(n*b.N)/total.Seconds(), "certs/s")
		})
	}
}
