package rest_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"

	"github.com/stretchr/testify/require"
)

// signingKey creates, as ADMIN, a P-256 code-signing key of team payments under the world's CA
// whose requests need approvals, and returns its id.
func (w *matrixWorld) signingKey(approvals int) string {
	w.t.Helper()
	return w.mustCreate("/api/v1/signing-keys", map[string]any{"name": w.unique("key"), "team": teamPayments, "ca_id": w.caID,
		"common_name": "Payments release", "policy": map[string]any{"approvals": approvals}})["id"].(string)
}

// digestBody is a signature request body for a fresh SHA-256 digest.
func (w *matrixWorld) digestBody() map[string]any {
	d := sha256.Sum256([]byte(w.unique("artifact")))
	return map[string]any{"digest": hex.EncodeToString(d[:]), "digest_algorithm": "sha256", "artifact": "app.tar.gz"}
}

// pendingSignature has requester ask a key that needs one approval for a signature, and
// returns the path of the request.
func (w *matrixWorld) pendingSignature() string {
	w.t.Helper()
	key := w.signingKey(1)
	status, out := w.do("POST", "/api/v1/signing-keys/"+key+"/signatures", "requester", w.digestBody())
	require.Equalf(w.t, http.StatusAccepted, status, "signature request: %v", out)
	return "/api/v1/signing-keys/" + key + "/signatures/" + out["id"].(string)
}

// notOnTheKeysTeam is the override of a signature request by principals the key's policy
// (team payments) does not name: SEC_OPS has no team, ADMIN signs as an override.
var notOnTheKeysTeam = map[string]int{"devops-other-team": http.StatusForbidden, "secops": http.StatusForbidden}
