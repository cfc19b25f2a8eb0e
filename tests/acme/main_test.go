// Package acme_test runs real ACME clients (the lego library) and hand-made JWS requests
// against the ledger's ACME endpoints on a whole stack (clienttest): SoftHSM, the embedded
// event store, the read models in Postgres.
package acme_test

import (
	"context"
	"crypto/rand"
	"net"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/hsm/hsmtest"
	"github.com/certledger/certledger/api/acme"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/tests/clienttest"
	"github.com/certledger/certledger/tests/testutil"
)

func TestMain(m *testing.M) { hsmtest.Main(m) }

var secOps = commands.Caller{Actor: domain.Actor{Subject: "sam", Roles: []domain.Role{domain.RoleSecOps}}}

// stack is a ledger with two ACME provisioners on CA "Root" and profile "web" (example.com,
// no approval, no team of its own): "web", whose accounts act for team "web", and "teams",
// which registers only accounts bound with an EAB key (acting for the key's team). Every name
// resolves to 127.0.0.1 through the test's DNS server, which also holds the dns-01 records;
// http-01 is validated on port, tls-alpn-01 on alpnPort.
type stack struct {
	*clienttest.Ledger
	// TLS serves the same API over HTTPS: lego refuses plain HTTP. directory is on it.
	TLS       *httptest.Server
	directory string
	caID      uuid.UUID
	port      int
	alpnPort  int
	dns       *testutil.DNSServer
	eab       *acme.EABKeyring
}

func startStack(t testing.TB) *stack {
	t.Helper()
	ctx := context.Background()
	port, alpnPort := freePort(t), freePort(t)
	caID := uuid.New()
	dnsServer := testutil.StartDNSServer(t)
	dial := acme.ResolverDialer(dnsServer.Addr)
	retry := acme.Retry{Timeout: 2 * time.Second, Attempts: 3, Backoff: 100 * time.Millisecond}
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	ring, err := acme.NewEABKeyring(secret)
	require.NoError(t, err)
	l := clienttest.StartWith(t, clienttest.Options{ACME: &clienttest.ACMEOptions{
		Provisioners: []acme.Provisioner{{Name: "web", CAID: caID.String(), Profile: "web", Team: "web"},
			{Name: "teams", CAID: caID.String(), Profile: "web", ExternalAccountRequired: true}},
		Validators: acme.Validators{
			"http-01":     &acme.HTTP01{Port: port, Retry: retry, Dial: dial},
			"dns-01":      &acme.DNS01{Resolver: dnsServer.Addr, Retry: retry},
			"tls-alpn-01": &acme.TLSALPN01{Port: alpnPort, Retry: retry, Dial: dial},
		},
		EAB: ring,
	}})
	_, err = l.App.CreateCA.Handle(ctx, commands.CreateCA{CommandID: uuid.New(), CAID: caID, Name: "Root",
		CommonName: "ACME Test Root", KeyType: domain.KeyECDSAP256, ValidityDays: 3650, PathLen: 1}, secOps)
	require.NoError(t, err)
	_, err = l.App.DefineProfile.Handle(ctx, commands.DefineProfile{CommandID: uuid.New(), Spec: domain.ProfileSpec{
		Name: "web", AllowedDomains: []string{"example.com"}, KeyTypes: []domain.KeyType{domain.KeyECDSAP256, domain.KeyRSA2048},
		MaxValidityDays: 90, KeyUsages: []string{"digitalSignature", "keyEncipherment"}, ExtKeyUsages: []string{"serverAuth"}}}, secOps)
	require.NoError(t, err)
	tlsSrv := httptest.NewTLSServer(l.Server.Config.Handler)
	t.Cleanup(tlsSrv.Close)
	return &stack{Ledger: l, TLS: tlsSrv, directory: tlsSrv.URL + "/acme/web/directory", caID: caID, port: port,
		alpnPort: alpnPort, dns: dnsServer, eab: ring}
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	require.NoError(t, l.Close())
	return port
}

// position is the event store's last position, to tell that a refused request appended nothing.
func (s *stack) position(t *testing.T) uint64 {
	t.Helper()
	p, err := s.Store.LastPosition(context.Background())
	require.NoError(t, err)
	return p
}

// mintEAB mints an EAB key of provisioner "teams" for team, as SEC_OPS.
func (s *stack) mintEAB(t *testing.T, team string) acme.MintedEABKey {
	t.Helper()
	k, err := s.eab.MintEABKey(context.Background(), s.App.ACME.MintEABKey, uuid.New(), "teams", team, secOps)
	require.NoError(t, err)
	return k
}
