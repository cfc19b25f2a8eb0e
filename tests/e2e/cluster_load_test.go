package e2e_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"
)

// issuance is one certificate request as a client saw it: from its first attempt to the node
// that acknowledged it, across retries on other nodes under one Idempotency-Key.
type issuance struct {
	key     string
	id      string // the certificate id acknowledged; empty when the client gave up
	start   time.Time
	latency time.Duration
	tries   int
}

// loadResult is what a load run saw.
type loadResult struct {
	mu     sync.Mutex
	issued []issuance
}

func (r *loadResult) add(i issuance) {
	r.mu.Lock()
	r.issued = append(r.issued, i)
	r.mu.Unlock()
}

// acknowledged returns the ids of the certificates some node acknowledged.
func (r *loadResult) acknowledged() map[string]bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]bool{}
	for _, i := range r.issued {
		if i.id != "" {
			out[i.id] = true
		}
	}
	return out
}

// percentile returns the q-th latency percentile of the issuances started in [from, to).
func (r *loadResult) percentile(q float64, from, to time.Time) (time.Duration, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ls []time.Duration
	for _, i := range r.issued {
		if i.id != "" && !i.start.Before(from) && i.start.Before(to) {
			ls = append(ls, i.latency)
		}
	}
	if len(ls) == 0 {
		return 0, 0
	}
	slices.Sort(ls)
	return ls[min(len(ls)-1, int(q*float64(len(ls))))], len(ls)
}

// issueLoad runs clients goroutines issuing certificates round-robin through the nodes until ctx
// ends or csrs is closed. Each request carries an Idempotency-Key; a failed attempt (a dead node, a 5xx) is
// retried on the next node with the same key, for up to 30 s.
func (c *cluster) issueLoad(ctx context.Context, clients int, caID string, csrs <-chan []byte, r *loadResult) *sync.WaitGroup {
	var wg sync.WaitGroup
	for n := range clients {
		wg.Go(func() {
			client := &http.Client{Timeout: 10 * time.Second}
			next := n
			for ctx.Err() == nil {
				var csr []byte
				select {
				case got, ok := <-csrs:
					if !ok {
						return // the run's requests are all made
					}
					csr = got
				case <-ctx.Done():
					return
				}
				is := issuance{key: uuid.NewString(), start: time.Now()}
				body := map[string]any{"ca_id": caID, "profile": "web", "team": "web", "csr": string(csr)}
				for time.Since(is.start) < 30*time.Second {
					is.tries++
					node := next % len(c.bases)
					next++
					status, m, err := c.postKeyed(client, node, "/api/v1/certificates", body, is.key)
					if err == nil && status == http.StatusCreated {
						is.id, _ = m["id"].(string)
						break
					}
					if errors.Is(err, context.Canceled) {
						break
					}
					time.Sleep(20 * time.Millisecond)
				}
				is.latency = time.Since(is.start)
				r.add(is)
			}
		})
	}
	return &wg
}
