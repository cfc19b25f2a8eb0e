package client_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/tests/clienttest"
)

// methods names the client method of every route of the API's route table.
var methods = map[string]string{
	"POST /cas": "CreateCA", "GET /cas": "ListCAs", "GET /cas/:id": "GetCA",
	"GET /cas/:id/certificate": "CACertificate", "GET /cas/:id/chain": "CAChain",
	"GET /cas/:id/history": "CAHistory", "POST /cas/:id/revoke": "RevokeCA",
	"POST /profiles": "DefineProfile", "GET /profiles": "ListProfiles", "GET /profiles/:name": "GetProfile",
	"PUT /profiles/:name": "UpdateProfile",
	"POST /certificates":  "RequestCertificate", "GET /certificates": "ListCertificates",
	"GET /certificates/:id": "GetCertificate", "GET /certificates/:id/certificate": "DownloadCertificate",
	"GET /certificates/:id/history": "CertificateHistory", "POST /certificates/:id/approve": "Approve",
	"POST /certificates/:id/reject": "Reject", "POST /certificates/:id/issue": "Issue",
	"POST /certificates/:id/revoke": "Revoke", "POST /certificates/:id/renew": "Renew",
	"POST /signing-keys": "CreateSigningKey", "GET /signing-keys/:id": "GetSigningKey",
	"POST /signing-keys/:id/disable": "DisableSigningKey", "POST /signing-keys/:id/enable": "EnableSigningKey",
	"POST /signing-keys/:id/revoke": "RevokeSigningKey", "POST /signing-keys/:id/signatures": "SignDigest",
	"GET /signing-keys/:id/signatures/:sid": "GetSignature", "POST /signing-keys/:id/signatures/:sid/approve": "ApproveSignature",
	"POST /signing-keys/:id/signatures/:sid/refuse": "RefuseSignature", "GET /pending-signatures": "ListPendingSignatures",
	"POST /signing-keys/:id/rotate": "RotateSigningKey",
	"GET /me":                       "Me", "GET /openapi.json": "OpenAPI",
	"POST /tokens": "IssueToken", "GET /tokens": "ListTokens", "GET /tokens/:id": "GetToken",
	"POST /tokens/:id/revoke": "RevokeToken", "GET /events/stream": "Tail", "POST /scep/challenges": "IssueSCEPChallenge",
	"GET /audit/key": "AuditKey", "GET /audit/checkpoints/latest": "LatestCheckpoint",
	"GET /audit/proofs/inclusion/:event_id": "InclusionProof", "GET /audit/proofs/consistency": "ConsistencyProof",
	"POST /discovery/scans": "RecordScan", "GET /discovery/certificates": "ListDiscovered",
	"POST /discovery/certificates/:fingerprint/adopt": "AdoptDiscovered", "GET /renewals": "ListRenewals",
	"GET /reports/expiry": "ExpiryReport", "GET /reports/compliance": "ComplianceReport", "GET /reports/cost": "CostReport",
	"GET /reports/pqc":         "PQCReport",
	"POST /agents/join-tokens": "IssueJoinToken", "POST /agents/enroll": "Enroll", "GET /agents": "ListAgents",
	"POST /agents/:id/revoke": "RevokeAgent", "POST /agent/heartbeat": "Heartbeat", "GET /agent/tasks": "AgentTasks",
	"POST /agent/deployments/:id/csr": "DeploymentCSR", "POST /agent/deployments/:id/report": "ReportDeployment",
	"POST /deployments": "Deploy", "GET /deployments": "ListDeployments", "POST /deployments/:id/redeploy": "Redeploy",
	"POST /acme/eab-keys": "MintEABKey",
	"GET /cluster":        "Cluster",
}

func TestTheClientHasAMethodForEveryRoute(t *testing.T) {
	l := clienttest.Start(t)
	for _, r := range l.Routes {
		name, ok := methods[r.Method+" "+r.Path]
		if assert.True(t, ok, "a route the client does not call yet: %s %s (%s)", r.Method, r.Path, r.Summary) {
			_, exists := reflect.TypeFor[*client.Client]().MethodByName(name)
			assert.True(t, exists, "client.%s", name)
		}
	}
	doc, err := client.New(l.URL, clienttest.ViewerToken).OpenAPI(t.Context())
	require.NoError(t, err)
	var openapi struct {
		OpenAPI string `json:"openapi"`
	}
	require.NoError(t, json.Unmarshal(doc, &openapi))
	assert.Contains(t, openapi.OpenAPI, "3.1")
}
