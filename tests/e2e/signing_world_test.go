package e2e_test

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// signingWorld is a real ledger with a release key of team web needing two SEC_OPS approvals,
// a key of team payments, and tokens: a DEVOPS of web and two SEC_OPS approvers.
type signingWorld struct {
	l                                    *ledgerd
	caID, keyID, otherKeyID, cert, chain string
	dev, sec1, sec2                      string
	devSubject, sec1Subject, sec2Subject string
}

func newSigningWorld(t *testing.T, l *ledgerd) *signingWorld {
	t.Helper()
	s := &signingWorld{l: l}
	ca := l.post(t, "/api/v1/cas", map[string]any{"name": "Root", "common_name": "E2E Signing Root", "key_algorithm": "ecdsa-p256"}, http.StatusCreated)
	s.caID = ca["id"].(string)
	key := l.post(t, "/api/v1/signing-keys", map[string]any{"name": "release", "team": "web", "ca_id": s.caID,
		"common_name": "Web release signing", "policy": map[string]any{"approvals": 2}}, http.StatusCreated)
	s.keyID, s.cert, s.chain = key["id"].(string), key["certificate"].(string), key["chain"].(string)
	other := l.post(t, "/api/v1/signing-keys", map[string]any{"name": "payments", "team": "payments", "ca_id": s.caID,
		"common_name": "Payments signing", "policy": map[string]any{"approvals": 0}}, http.StatusCreated)
	s.otherKeyID = other["id"].(string)
	s.dev, s.devSubject = s.token(t, "--role", "DEVOPS", "--team", "web")
	s.sec1, s.sec1Subject = s.token(t, "--role", "SEC_OPS")
	s.sec2, s.sec2Subject = s.token(t, "--role", "SEC_OPS")
	return s
}

// token mints a token and returns it with the subject it authenticates as.
func (s *signingWorld) token(t *testing.T, args ...string) (string, string) {
	t.Helper()
	token := mintToken(t, s.l, args...)
	me := s.ctlJSON(t, token, "whoami")
	return token, me["subject"].(string)
}

// approveTwice takes a pending request through its approvals: the first SEC_OPS approval
// leaves it pending, the requester's own and a second one by the same approver are refused
// and append nothing, and the second approver's signs it.
func (s *signingWorld) approveTwice(t *testing.T, requestID string) {
	t.Helper()
	req := s.ctlJSON(t, s.sec1, "sign", "approve", s.keyID, requestID)
	assert.Equal(t, "pending_approval", req["status"], "one approval of two")
	before := s.l.lastPosition(t)
	for _, token := range []string{s.dev, s.sec1} {
		out, code := s.l.ledgerctl(t, "sign", "approve", s.keyID, requestID, "--token", token)
		assert.Equal(t, 1, code, "refused: %s", out)
	}
	assert.Equal(t, before, s.l.lastPosition(t), "refused approvals append nothing")
	req = s.ctlJSON(t, s.sec2, "sign", "approve", s.keyID, requestID)
	assert.Equal(t, "signed", req["status"], "the second approval signs")
	assert.Equal(t, []any{s.sec1Subject, s.sec2Subject}, req["approvers"])
}

// refusalsAppendNothing sends requests the ledger must refuse, each with a clear problem, and
// a replay with the same Idempotency-Key, and checks that none of them appends an event.
func (s *signingWorld) refusalsAppendNothing(t *testing.T) {
	t.Helper()
	body := func(alg string, size int) string {
		return fmt.Sprintf(`{"digest":%q,"digest_algorithm":%q,"artifact":"release.bin"}`, hex.EncodeToString(make([]byte, size)), alg)
	}
	sigs := func(key string) string { return "/api/v1/signing-keys/" + key + "/signatures" }
	for _, tc := range []struct {
		name, path, body string
		status           int
		says             string
	}{
		{"SHA-1", sigs(s.keyID), body("sha1", 20), http.StatusUnprocessableEntity, "never accepted"},
		{"MD5", sigs(s.keyID), body("md5", 16), http.StatusUnprocessableEntity, "never accepted"},
		{"a wrong-length digest", sigs(s.keyID), body("sha256", 20), http.StatusBadRequest, "a sha256 digest is 32 bytes, not 20"},
		{"an unknown key", sigs("7d3c2f9e-1111-4222-8333-944455556666"), body("sha256", 32), http.StatusNotFound, "signing key"},
		{"another team's key", sigs(s.otherKeyID), body("sha256", 32), http.StatusForbidden, s.otherKeyID},
	} {
		before := s.l.lastPosition(t)
		status, header, answer := s.l.request(t, http.MethodPost, tc.path, s.dev, tc.body, "Content-Type", "application/json")
		assert.Equal(t, tc.status, status, "%s: %s", tc.name, answer)
		assert.Equal(t, "application/problem+json", header.Get("Content-Type"), tc.name)
		assert.Contains(t, string(answer), tc.says, tc.name)
		assert.Equal(t, before, s.l.lastPosition(t), "%s appends nothing", tc.name)
	}

	// A replay with the same Idempotency-Key is the same request, appended once.
	send := func() map[string]any {
		status, _, answer := s.l.request(t, http.MethodPost, sigs(s.keyID), s.dev, body("sha256", 32),
			"Content-Type", "application/json", "Idempotency-Key", "replay-1")
		require.Equal(t, http.StatusAccepted, status, "%s", answer)
		var m map[string]any
		require.NoError(t, json.Unmarshal(answer, &m), "%s", answer)
		return m
	}
	first := send()
	before := s.l.lastPosition(t)
	again := send()
	assert.Equal(t, first["id"], again["id"], "a replay is the same request")
	assert.Equal(t, before, s.l.lastPosition(t), "a replay appends nothing")
	out, code := s.l.ledgerctl(t, "sign", "refuse", s.keyID, first["id"].(string), "--reason", "e2e: only a replay test", "--token", s.sec1)
	require.Equal(t, 0, code, out)
	assert.True(t, strings.Contains(out, "refused"), out)
}
