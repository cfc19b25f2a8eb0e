package commands_test

import (
	"context"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/domain/tsp"
	"github.com/certledger/certledger/events"
)

// tsaLedger is a signing ledger with a TSA key, the streams of its tokens and a folder with
// a data file, its chain for openssl, and `openssl ts -query` requests.
type tsaLedger struct {
	*signingLedger
	key     uuid.UUID
	streams []string
	dir     string
}

func newTSALedger(t *testing.T) *tsaLedger {
	t.Helper()
	l := &tsaLedger{signingLedger: newSigningLedger(t), dir: t.TempDir()}
	l.key = l.newKey(t, domain.UsageTimestamp)
	k, err := l.h.Queries.SigningKey(context.Background(), l.key)
	require.NoError(t, err)
	var chain []byte
	for _, c := range k.Chain() {
		chain = append(chain, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	l.write("chain.pem", chain)
	l.write("tsa.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: k.Certificate().Raw}))
	l.write("data", []byte("release 1.2.3\n"))
	return l
}

// newKey creates a signing key of usage under the intermediate.
func (l *tsaLedger) newKey(t *testing.T, usage domain.KeyUsageKind) uuid.UUID {
	t.Helper()
	spec := createSigningKey(uuid.New(), l.inter, 0)
	spec.Usage, spec.Name = usage, string(usage)
	_, err := l.h.CreateSigningKey.Handle(context.Background(), spec, secops)
	require.NoError(t, err)
	return spec.KeyID
}

func (l *tsaLedger) write(name string, data []byte) string {
	p := filepath.Join(l.dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		panic(err)
	}
	return p
}

func (l *tsaLedger) openssl(args ...string) (string, error) {
	out, err := exec.Command("openssl", args...).CombinedOutput()
	return string(out), err
}

// query is `openssl ts -query -data data -cert` with the digest flag given.
func (l *tsaLedger) query(t *testing.T, digest string) []byte {
	t.Helper()
	out, err := exec.Command("openssl", "ts", "-query", "-data", filepath.Join(l.dir, "data"), "-"+digest, "-cert").Output()
	require.NoError(t, err)
	return out
}

// stamp asks key for a token over the request on a new stream the accounting reads.
func (l *tsaLedger) stamp(key uuid.UUID, req []byte) (commands.TimestampAnswer, error) {
	id := uuid.New()
	l.streams = append(l.streams, events.StreamName(events.CategoryTimestamp, id))
	return l.h.IssueTimestamp.Handle(context.Background(), commands.IssueTimestamp{CommandID: uuid.New(), TimestampID: id,
		KeyID: key, Request: req}, commands.Caller{})
}

// requireAccounted requires the HSM's count of the TSA key's signatures to be what its token
// streams record, void or hold open.
func (l *tsaLedger) requireAccounted(t *testing.T) []int {
	t.Helper()
	recorded, voided, open := l.keyAccounting(t, l.key, l.streams)
	n := l.hsm.Signatures(events.StreamName(events.CategorySigningKey, l.key))
	require.Equal(t, n, int64(recorded+voided+open), "HSM signatures %d; recorded %d, voided %d, open %d", n, recorded, voided, open)
	return []int{recorded, voided, open}
}

// TestOpenSSLVerifiesTheTSAsTokens answers `openssl ts -query` and checks the reply with
// `openssl ts -verify` against the query and the data; a changed byte of the data fails.
func TestOpenSSLVerifiesTheTSAsTokens(t *testing.T) {
	l := newTSALedger(t)
	for _, digest := range []string{"sha256", "sha512"} {
		query := l.query(t, digest)
		answer, err := l.stamp(l.key, query)
		require.NoError(t, err)
		assert.Equal(t, 2, answer.Appended, "SigningStarted, TimestampIssued")
		q, r := l.write(digest+".tsq", query), l.write(digest+".tsr", answer.Response)
		chain, tsa := filepath.Join(l.dir, "chain.pem"), filepath.Join(l.dir, "tsa.pem")
		out, err := l.openssl("ts", "-verify", "-in", r, "-queryfile", q, "-CAfile", chain, "-untrusted", tsa)
		require.NoError(t, err, out)
		assert.Contains(t, out, "Verification: OK")
		out, err = l.openssl("ts", "-verify", "-in", r, "-data", l.write("tampered", []byte("release 1.2.4\n")), "-CAfile", chain, "-untrusted", tsa)
		assert.Error(t, err, "a changed byte fails: %s", out)
		out, err = l.openssl("ts", "-reply", "-in", r, "-text")
		require.NoError(t, err, out)
		assert.Contains(t, out, "Policy OID: "+tsp.DefaultPolicy.String())
		history, _, err := l.store.Load(context.Background(), l.streams[len(l.streams)-1])
		require.NoError(t, err)
		reg, err := commands.NewRegistry()
		require.NoError(t, err)
		v, err := reg.Decode(history[len(history)-1])
		require.NoError(t, err)
		issued := v.(domain.TimestampIssued)
		assert.Contains(t, out, "Serial number: 0x"+upper(issued.Serial))
		assert.Equal(t, domain.DigestAlgorithm(digest), issued.HashAlgorithm)
		assert.Equal(t, tsp.DefaultPolicy.String(), issued.Policy)
		assert.NotEmpty(t, issued.Nonce, "openssl sends a nonce")
	}
	assert.Equal(t, []int{2, 0, 0}, l.requireAccounted(t))
}

func upper(hex string) string {
	b := []byte(hex)
	for i, c := range b {
		if c >= 'a' && c <= 'f' {
			b[i] = c - 'a' + 'A'
		}
	}
	if len(b)%2 == 1 {
		b = append([]byte{'0'}, b...)
	}
	return string(b)
}
