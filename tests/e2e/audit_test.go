package e2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/tests/testutil"
)

// TestAuditAgainstARealLedger checks the SIEM and audit issue's promise against a real ledgerd:
// a NATS subscriber sees every event as a CloudEvent with its hashes; `ledgerctl audit verify`
// passes on the honest ledger; the latest checkpoint is signed and an inclusion proof verifies
// offline; a replay as of a moment before a revocation shows the certificate still good; and
// an event appended behind the ledger's back makes `audit verify` fail, naming the stream.
func TestAuditAgainstARealLedger(t *testing.T) {
	nc, err := nats.Connect("nats://127.0.0.1:4222", nats.Timeout(5*time.Second))
	require.NoError(t, err, "NATS with JetStream must run on 127.0.0.1:4222 (the machine's service)")
	defer nc.Close()
	subject, stream := "e2e."+uuid.NewString()[:8]+".events", "E2E_"+uuid.NewString()[:8]
	t.Cleanup(func() {
		if js, err := nc.JetStream(); err == nil {
			_ = js.DeleteStream(stream)
		}
	})
	received := map[string]events.CloudEvent{}
	var mu sync.Mutex
	sub, err := nc.Subscribe(subject, func(m *nats.Msg) {
		var ce events.CloudEvent
		if json.Unmarshal(m.Data, &ce) == nil {
			mu.Lock()
			received[ce.ID] = ce
			mu.Unlock()
		}
	})
	require.NoError(t, err)
	defer func() { _ = sub.Unsubscribe() }()
	dir := t.TempDir()
	config := filepath.Join(dir, "siem.json")
	require.NoError(t, os.WriteFile(config, fmt.Appendf(nil, `{"sinks":[{"name":"nats","kind":"nats","url":"nats://127.0.0.1:4222","subject":%q,"stream":%q}]}`,
		subject, stream), 0o600))
	l := startLedgerd(t, "LEDGER_SIEM_CONFIG="+config, "LEDGER_AUDIT_CHECKPOINT_INTERVAL=1s", "LEDGER_AUDIT_CHECKPOINT_EVERY=1")

	ca := l.post(t, "/api/v1/cas", map[string]any{"name": "Root", "common_name": "Audit Root", "key_algorithm": "ecdsa-p256"}, http.StatusCreated)
	l.post(t, "/api/v1/profiles", map[string]any{"name": "web", "allowed_domains": []string{"example.com"},
		"key_types": []string{"ecdsa-p256"}, "max_validity_days": 90}, http.StatusCreated)
	cert := l.post(t, "/api/v1/certificates", map[string]any{"ca_id": ca["id"], "profile": "web", "team": "web",
		"csr": string(testutil.CSR(t, "audit.example.com"))}, http.StatusCreated)
	time.Sleep(1100 * time.Millisecond) // recorded times have to fall on either side of asOf
	asOf := time.Now().UTC()
	time.Sleep(1100 * time.Millisecond)
	l.post(t, "/api/v1/certificates/"+cert["id"].(string)+"/revoke", map[string]any{"reason": "keyCompromise"}, http.StatusOK)

	// Every event reaches NATS as a CloudEvent carrying its chain hashes.
	store, err := eventstore.Connect(l.storeURL)
	require.NoError(t, err)
	defer store.Close()
	var ledgerEvents []events.Envelope
	for raw, err := range store.ReadAll(context.Background(), 0) {
		require.NoError(t, err)
		if env, err := events.ParseEnvelope(raw); err == nil {
			ledgerEvents = append(ledgerEvents, env)
		}
	}
	require.Eventually(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		for _, e := range ledgerEvents {
			if ce, ok := received[e.ID.String()]; !ok || ce.Hash != e.Hash.String() || ce.PrevHash != e.PrevHash.String() {
				return false
			}
		}
		return true
	}, 15*time.Second, 100*time.Millisecond, "NATS subscribers see every ledger event with its hashes")

	// The checkpoint covering the revocation is signed, and a proof of it verifies offline.
	revocation := ledgerEvents[len(ledgerEvents)-1]
	bundle, key := filepath.Join(dir, "bundle.json"), filepath.Join(dir, "audit.pem")
	require.Eventually(t, func() bool {
		_, code := l.ledgerctl(t, "audit", "proof", revocation.ID.String(), "--out", bundle)
		return code == 0
	}, 15*time.Second, 200*time.Millisecond, "a checkpoint covers the revocation")
	out, code := l.ledgerctl(t, "audit", "key", "--out", key)
	require.Equal(t, 0, code, out)
	out, code = l.ledgerctl(t, "audit", "verify-proof", "--key", key, bundle)
	require.Equal(t, 0, code, out)
	assert.Contains(t, out, "VERIFIED")
	out, code = l.ledgerctl(t, "audit", "verify", "--audit-key", key)
	require.Equal(t, 0, code, "an honest ledger passes: %s", out)

	// As of a moment before the revocation, the certificate was still good.
	out, code = l.ledgerctl(t, "audit", "replay", "--as-of", asOf.Format(time.RFC3339Nano), "--schema", "asof_e2e")
	require.Equal(t, 0, code, out)
	db, err := pgx.Connect(context.Background(), l.dbURL)
	require.NoError(t, err)
	defer db.Close(context.Background())
	var then, now string
	require.NoError(t, db.QueryRow(context.Background(), "SELECT status FROM asof_e2e.certificates WHERE id = $1", cert["id"]).Scan(&then))
	require.NoError(t, db.QueryRow(context.Background(), "SELECT status FROM rm_pki.certificates WHERE id = $1", cert["id"]).Scan(&now))
	assert.Equal(t, []string{"issued", "revoked"}, []string{then, now})

	// An event appended behind the ledger's back breaks its stream's chain.
	forged := events.StreamName(events.CategoryCertificate, uuid.MustParse(cert["id"].(string)))
	appendBehindTheLedgersBack(t, l.storeURL, forged)
	out, code = l.ledgerctl(t, "audit", "verify", "--audit-key", key)
	assert.Equal(t, 1, code, out)
	assert.Contains(t, out, forged)
}

// appendBehindTheLedgersBack appends an event to stream with the plain EventStoreDB client, as
// someone with access to the store but not to the ledger would.
func appendBehindTheLedgersBack(t *testing.T, url, stream string) {
	t.Helper()
	cfg, err := esdb.ParseConnectionString(url)
	require.NoError(t, err)
	client, err := esdb.NewClient(cfg)
	require.NoError(t, err)
	defer client.Close()
	_, err = client.AppendToStream(context.Background(), stream, esdb.AppendToStreamOptions{}, esdb.EventData{
		EventID: uuid.New(), EventType: "CertificateRevoked", ContentType: esdb.ContentTypeJson,
		Data: []byte(`{"reason":0}`), Metadata: []byte(`{"actor":{"subject":"mallory"}}`)})
	require.NoError(t, err)
}
