package auth_test

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/auth"
	"github.com/certledger/certledger/domain"
)

// certificateTable is a CertificateLookup over a map from fingerprint to certificate.
type certificateTable map[string]auth.IssuedCertificate

func (t certificateTable) IssuedCertificate(_ context.Context, fingerprint string) (auth.IssuedCertificate, error) {
	if c, ok := t[fingerprint]; ok {
		return c, nil
	}
	return auth.IssuedCertificate{}, auth.ErrCertificateUnknown
}

// unavailableLookup fails like a lookup whose database is down.
type unavailableLookup struct{}

func (unavailableLookup) IssuedCertificate(context.Context, string) (auth.IssuedCertificate, error) {
	return auth.IssuedCertificate{}, errors.New("read model unavailable")
}

// fromTLSResult is what the test server's handler learned from FromTLS.
type fromTLSResult struct {
	Actor     domain.Actor
	Presented bool
	Error     string
	Invalid   bool // the error wraps ErrInvalidToken
}

// mtlsServer is a TLS server configured by ServerTLSConfig whose handler answers with the
// result of FromTLS for its connection.
type mtlsServer struct {
	*httptest.Server
	serverCA testCA
	requests atomic.Int32
}

func newMTLSServer(t *testing.T, clientCA testCA, certificates auth.ClientCertificates) *mtlsServer {
	t.Helper()
	s := &mtlsServer{serverCA: newTestCA(t, "server CA")}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		actor, presented, err := certificates.FromTLS(r.Context(), r.TLS)
		result := fromTLSResult{Actor: actor, Presented: presented, Invalid: errors.Is(err, auth.ErrInvalidToken)}
		if err != nil {
			result.Error = err.Error()
		}
		_ = json.NewEncoder(w).Encode(result)
	}))
	s.TLS = auth.ServerTLSConfig(s.serverCA.serverCertificate(t), clientCA.pool())
	s.StartTLS()
	t.Cleanup(s.Close)
	return s
}

// call makes one request with a client presenting cert (none when nil), limited to maxVersion
// when it is not zero. The client presents its certificate even when the server does not list
// its CA as acceptable, as curl would.
func (s *mtlsServer) call(t *testing.T, maxVersion uint16, cert *tls.Certificate) (fromTLSResult, error) {
	t.Helper()
	presented := func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
		if cert == nil {
			return &tls.Certificate{}, nil // no certificate
		}
		return cert, nil
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{
		RootCAs: s.serverCA.pool(), GetClientCertificate: presented, MaxVersion: maxVersion,
	}}}
	defer client.CloseIdleConnections()
	resp, err := client.Get(s.URL)
	if err != nil {
		return fromTLSResult{}, err
	}
	defer resp.Body.Close()
	var result fromTLSResult
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&result))
	return result, nil
}

func TestClientCertificates(t *testing.T) {
	clientCA := newTestCA(t, "ledger CA")
	bot := clientCA.clientCertificate(t, "deploy-bot")
	nameless := clientCA.clientCertificate(t, "")
	revoked := clientCA.clientCertificate(t, "revoked-bot")
	superseded := clientCA.clientCertificate(t, "old-bot")
	unknown := clientCA.clientCertificate(t, "stranger")
	table := certificateTable{
		auth.Fingerprint(bot.Leaf):        {ID: "cert-1", Team: "payments", Owner: "alice", Status: "issued"},
		auth.Fingerprint(nameless.Leaf):   {ID: "cert-2", Team: "payments", Status: "issued"},
		auth.Fingerprint(revoked.Leaf):    {ID: "cert-3", Team: "payments", Status: "revoked"},
		auth.Fingerprint(superseded.Leaf): {ID: "cert-4", Team: "payments", Status: "superseded"},
	}
	server := newMTLSServer(t, clientCA, auth.ClientCertificates{Lookup: table})

	t.Run("an issued certificate authenticates", func(t *testing.T) {
		result, err := server.call(t, 0, &bot)
		require.NoError(t, err)
		assert.Equal(t, fromTLSResult{Presented: true, Actor: domain.Actor{
			Subject: "mtls:deploy-bot", Roles: []domain.Role{domain.RoleDevOps}, Team: "payments",
		}}, result)
	})
	t.Run("without a common name the certificate id is the subject", func(t *testing.T) {
		result, err := server.call(t, 0, &nameless)
		require.NoError(t, err)
		assert.Equal(t, "mtls:cert-2", result.Actor.Subject)
	})
	for _, refused := range []struct {
		name   string
		cert   tls.Certificate
		reason string
	}{
		{"a revoked certificate is refused", revoked, "cert-3 is revoked"},
		{"a superseded certificate is refused", superseded, "cert-4 is superseded"},
		{"a certificate the ledger did not issue is refused", unknown, "was not issued by the ledger"},
	} {
		t.Run(refused.name, func(t *testing.T) {
			result, err := server.call(t, 0, &refused.cert)
			require.NoError(t, err)
			assert.True(t, result.Presented)
			assert.True(t, result.Invalid, "the error wraps ErrInvalidToken")
			assert.Contains(t, result.Error, refused.reason)
			assert.Equal(t, domain.Actor{}, result.Actor)
		})
	}
	t.Run("without a certificate there is no actor and no error", func(t *testing.T) {
		result, err := server.call(t, 0, nil)
		require.NoError(t, err)
		assert.Equal(t, fromTLSResult{}, result)
	})
}

func TestClientCertificatesReportAFailingLookupAsAnError(t *testing.T) {
	clientCA := newTestCA(t, "ledger CA")
	server := newMTLSServer(t, clientCA, auth.ClientCertificates{Lookup: unavailableLookup{}})

	result, err := server.call(t, 0, new(clientCA.clientCertificate(t, "deploy-bot")))

	require.NoError(t, err)
	assert.True(t, result.Presented)
	assert.False(t, result.Invalid, "an unavailable lookup is not the client's fault")
	assert.Contains(t, result.Error, "read model unavailable")
}

func TestClientCertificatesGrantTheConfiguredRole(t *testing.T) {
	clientCA := newTestCA(t, "ledger CA")
	viewer := clientCA.clientCertificate(t, "dashboard")
	table := certificateTable{auth.Fingerprint(viewer.Leaf): {ID: "cert-9", Team: "ops", Status: "issued"}}
	server := newMTLSServer(t, clientCA, auth.ClientCertificates{Lookup: table, Role: domain.RoleViewer})

	result, err := server.call(t, 0, &viewer)

	require.NoError(t, err)
	assert.Equal(t, []domain.Role{domain.RoleViewer}, result.Actor.Roles)
}

func TestServerTLSConfigRefusesUntrustedCertificatesAndOldTLS(t *testing.T) {
	clientCA := newTestCA(t, "ledger CA")
	server := newMTLSServer(t, clientCA, auth.ClientCertificates{Lookup: certificateTable{}})

	_, err := server.call(t, 0, new(newTestCA(t, "another CA").clientCertificate(t, "intruder")))
	require.Error(t, err, "a certificate from an untrusted CA fails the handshake")
	assert.ErrorContains(t, err, "tls")

	_, err = server.call(t, tls.VersionTLS12, new(clientCA.clientCertificate(t, "legacy")))
	require.Error(t, err, "a TLS 1.2 client fails the handshake")
	assert.ErrorContains(t, err, "protocol version")

	assert.Zero(t, server.requests.Load(), "no request got through")
}

func TestAnAgentsCertificateIsTheAgent(t *testing.T) {
	clientCA := newTestCA(t, "agent CA")
	enrolled, revoked := clientCA.clientCertificate(t, "agent-1"), clientCA.clientCertificate(t, "agent-2")
	table := certificateTable{
		auth.Fingerprint(enrolled.Leaf): {ID: "cert-a", Team: "web", Status: "issued", AgentID: "a1", AgentEnrolled: true},
		auth.Fingerprint(revoked.Leaf):  {ID: "cert-b", Team: "web", Status: "issued", AgentID: "a2"},
	}
	server := newMTLSServer(t, clientCA, auth.ClientCertificates{Lookup: table, Role: domain.RoleSecOps})

	result, err := server.call(t, 0, &enrolled)
	require.NoError(t, err)
	assert.Equal(t, domain.Actor{Subject: "agent:a1", Roles: []domain.Role{domain.RoleAgent}, Team: "web"}, result.Actor,
		"an agent is AGENT of its team, whatever role other certificates grant")
	result, err = server.call(t, 0, &revoked)
	require.NoError(t, err)
	assert.True(t, result.Invalid, "a revoked agent's certificate authenticates nobody")
	assert.Contains(t, result.Error, "agent a2, which is revoked")
}
