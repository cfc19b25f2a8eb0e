// Package acme_test runs real ACME clients (the lego library) and hand-made JWS requests
// against the ledger's ACME endpoints on a whole stack (clienttest): SoftHSM, the embedded
// event store, the read models in Postgres.
package acme_test

import (
	"context"
	"net"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/hsm/hsmtest"
	"github.com/certledger/certledger/api/acme"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/tests/clienttest"
)

func TestMain(m *testing.M) { hsmtest.Main(m) }

var secOps = commands.Caller{Actor: domain.Actor{Subject: "sam", Roles: []domain.Role{domain.RoleSecOps}}}

// stack is a ledger with one ACME provisioner "web": CA "Root", profile "web" (example.com,
// no approval), team "web"; http-01 is validated on port, whatever the name, at loopback.
type stack struct {
	*clienttest.Ledger
	// TLS serves the same API over HTTPS: lego refuses plain HTTP. directory is on it.
	TLS       *httptest.Server
	directory string
	caID      uuid.UUID
	port      int
}

func startStack(t *testing.T) *stack {
	t.Helper()
	ctx := context.Background()
	port := freePort(t)
	caID := uuid.New()
	loopback := func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	}
	l := clienttest.StartWith(t, clienttest.Options{ACME: &clienttest.ACMEOptions{
		Provisioners: []acme.Provisioner{{Name: "web", CAID: caID.String(), Profile: "web", Team: "web"}},
		HTTP01:       &acme.HTTP01{Port: port, Timeout: 2 * time.Second, Attempts: 3, Backoff: 100 * time.Millisecond, Dial: loopback},
	}})
	_, err := l.App.CreateCA.Handle(ctx, commands.CreateCA{CommandID: uuid.New(), CAID: caID, Name: "Root",
		CommonName: "ACME Test Root", KeyType: domain.KeyECDSAP256, ValidityDays: 3650, PathLen: 1}, secOps)
	require.NoError(t, err)
	_, err = l.App.DefineProfile.Handle(ctx, commands.DefineProfile{CommandID: uuid.New(), Spec: domain.ProfileSpec{
		Name: "web", AllowedDomains: []string{"example.com"}, KeyTypes: []domain.KeyType{domain.KeyECDSAP256, domain.KeyRSA2048},
		MaxValidityDays: 90, KeyUsages: []string{"digitalSignature", "keyEncipherment"}, ExtKeyUsages: []string{"serverAuth"}}}, secOps)
	require.NoError(t, err)
	tlsSrv := httptest.NewTLSServer(l.Server.Config.Handler)
	t.Cleanup(tlsSrv.Close)
	return &stack{Ledger: l, TLS: tlsSrv, directory: tlsSrv.URL + "/acme/web/directory", caID: caID, port: port}
}

func freePort(t *testing.T) int {
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
