package siem_test

import (
	"bytes"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/siem"
	"github.com/certledger/certledger/events"
)

const testSecret = "0123456789abcdef0123456789abcdef"

// receiver is a TLS webhook endpoint that verifies every request as the README tells receivers
// to, and answers with status(id) for valid ones.
type receiver struct {
	t      testing.TB
	srv    *httptest.Server
	status func(id string) int

	mu       sync.Mutex
	bodies   [][]byte // accepted deliveries
	attempts map[string]int
	forged   atomic.Int64 // requests whose verification failed
}

func newReceiver(t testing.TB, status func(id string) int) *receiver {
	r := &receiver{t: t, status: status, attempts: map[string]int{}}
	r.srv = httptest.NewTLSServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, err := siem.VerifyRequest(req, []byte(testSecret), 5*time.Minute, 1<<20)
	if err != nil || req.Header.Get("Content-Type") != siem.ContentTypeCloudEvents {
		r.forged.Add(1)
		http.Error(w, "forged", http.StatusUnauthorized)
		return
	}
	ce, _ := cloudEvent(r.t, body)
	code := r.status(ce.ID)
	r.mu.Lock()
	r.attempts[ce.ID]++
	if code/100 == 2 {
		r.bodies = append(r.bodies, body)
	}
	r.mu.Unlock()
	w.WriteHeader(code)
}

func (r *receiver) received() [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([][]byte(nil), r.bodies...)
}

// sink configures a webhook sink to the receiver, trusting its certificate.
func (r *receiver) sink(t testing.TB, name string) string {
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: r.srv.Certificate().Raw})
	return fmt.Sprintf(`{"name":%q,"kind":"webhook","url":%q,"secret_file":%q,"ca_file":%q,"poison_path":%q}`,
		name, r.srv.URL+"/events", writeFile(t, "secret", testSecret+"\n"), writeFile(t, "ca.pem", string(ca)),
		t.TempDir()+"/poison.jsonl")
}

// TestWebhook delivers signed CloudEvents over HTTPS; the receiver's verification accepts them
// all, and an event the receiver rejects with 400 is poisoned at once, without retries.
func TestWebhook(t *testing.T) {
	e := newEnv(t)
	e.appendEvents(t, uniform(30, events.CategoryCertificate, "CertificateIssued", 4), 1, 0)
	want := e.ledgerEvents(t, nil)
	var rejected string
	for id := range want {
		rejected = id
		break
	}
	r := newReceiver(t, func(id string) int {
		if id == rejected {
			return http.StatusBadRequest
		}
		return http.StatusNoContent
	})
	sinkJSON := r.sink(t, "splunk")
	cfg := config(t, `{"sinks":[`+sinkJSON+`],"retry":{"max_retries":3,"initial_interval":"5ms","max_interval":"10ms"}}`)
	f, _ := e.start(t, cfg)
	waitFor(t, 60*time.Second, "the webhook sink to catch up", func() bool { return caughtUp(t, f, "splunk") })

	assert.Equal(t, len(want)-1, inOrder(t, r.received()))
	assert.Zero(t, r.forged.Load(), "every delivery verifies")
	r.mu.Lock()
	assert.Equal(t, 1, r.attempts[rejected], "a 400 is not retried")
	r.mu.Unlock()
	// A request with a forged signature, replaying a real body, is refused by the same check.
	req, err := http.NewRequest(http.MethodPost, r.srv.URL+"/events", bytes.NewReader(r.received()[0]))
	require.NoError(t, err)
	req.Header.Set("Content-Type", siem.ContentTypeCloudEvents)
	req.Header.Set(siem.HeaderTimestamp, strconv.FormatInt(time.Now().Unix(), 10))
	req.Header.Set(siem.HeaderSignature, siem.Sign([]byte("not the shared secret at all!!!!"), req.Header.Get(siem.HeaderTimestamp), r.received()[0]))
	resp, err := r.srv.Client().Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Equal(t, int64(1), r.forged.Load())

	poisoned, err := os.ReadFile(cfg.Sinks[0].PoisonPath)
	require.NoError(t, err)
	assert.Contains(t, string(poisoned), rejected)
	assert.Contains(t, string(poisoned), "reason_poisoned")
}

// TestWebhookSignature checks the verification receivers use: it accepts what the forwarder
// signs and detects a forged signature, a changed body, another secret and a stale timestamp.
func TestWebhookSignature(t *testing.T) {
	secret, body := []byte(testSecret), []byte(`{"specversion":"1.0","id":"x"}`)
	now := time.Unix(1_800_000_000, 0)
	ts := strconv.FormatInt(now.Unix(), 10)
	sig := siem.Sign(secret, ts, body)
	require.NoError(t, siem.VerifySignature(secret, ts, sig, body, now, time.Minute))

	forged := "sha256=" + fmt.Sprintf("%064x", 0)
	assert.Error(t, siem.VerifySignature(secret, ts, forged, body, now, time.Minute), "forged signature")
	assert.Error(t, siem.VerifySignature(secret, ts, sig, []byte(`{"specversion":"1.0","id":"y"}`), now, time.Minute), "changed body")
	assert.Error(t, siem.VerifySignature([]byte("another secret of 32 bytes......"), ts, sig, body, now, time.Minute), "other secret")
	assert.Error(t, siem.VerifySignature(secret, ts, sig, body, now.Add(10*time.Minute), time.Minute), "replayed later")
	assert.Error(t, siem.VerifySignature(secret, "soon", sig, body, now, time.Minute), "no timestamp")
	assert.Regexp(t, `^sha256=[0-9a-f]{64}$`, sig)
}
