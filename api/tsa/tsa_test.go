package tsa_test

import (
	"bytes"
	"context"
	"encoding/pem"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/adapters/hsm/hsmtest"
	"github.com/certledger/certledger/api/tsa"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/infra/embeddedstore/storetest"
)

func TestMain(m *testing.M) { hsmtest.Main(m) }

var secops = commands.Caller{Actor: domain.Actor{Subject: "sec@example.com", Roles: []domain.Role{domain.RoleSecOps}}}

// TestOpenSSLClientsGetVerifiableTokens posts `openssl ts -query` requests to the endpoint
// of a TSA key in SoftHSM and checks the replies with `openssl ts -verify`; a SHA-1 query is
// refused with badAlg and appends nothing.
func TestOpenSSLClientsGetVerifiableTokens(t *testing.T) {
	store := eventstore.New(storetest.Client(t, storetest.Start(t)))
	token := hsmtest.Open(t)
	app, err := commands.NewApplication(store, hsm.KeyStore{HSM: token}, commands.URLs{Base: "http://127.0.0.1:8080"})
	require.NoError(t, err)
	ctx := context.Background()
	caID, keyID := uuid.New(), uuid.New()
	_, err = app.CreateCA.Handle(ctx, commands.CreateCA{CommandID: uuid.New(), CAID: caID, Name: "Root", CommonName: "TSA Root",
		KeyType: domain.KeyECDSAP256, ValidityDays: 3650}, secops)
	require.NoError(t, err)
	_, err = app.CreateSigningKey.Handle(ctx, commands.CreateSigningKey{CommandID: uuid.New(), KeyID: keyID, CAID: caID,
		Name: "tsa", Team: "platform", Usage: domain.UsageTimestamp, KeyType: domain.KeyECDSAP256, CommonName: "Ledger TSA",
		ValidityDays: 365}, secops)
	require.NoError(t, err)
	e := echo.New()
	tsa.Register(e, app.IssueTimestamp, slog.New(slog.DiscardHandler))
	srv := httptest.NewServer(e)
	defer srv.Close()

	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, b, 0o600))
		return p
	}
	k, err := app.Queries.SigningKey(ctx, keyID)
	require.NoError(t, err)
	chain := write("chain.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: k.Chain()[0].Raw}))
	data := write("f", []byte("artifact\n"))
	post := func(flag string) (query, reply string) {
		q, err := exec.Command("openssl", "ts", "-query", "-data", data, flag, "-cert").Output()
		require.NoError(t, err)
		resp, err := http.Post(srv.URL+"/tsa/"+keyID.String(), tsa.QueryType, bytes.NewReader(q))
		require.NoError(t, err)
		defer resp.Body.Close()
		assert.Equal(t, tsa.ReplyType, resp.Header.Get("Content-Type"))
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return write(flag+".tsq", q), write(flag+".tsr", body)
	}
	openssl := func(args ...string) (string, error) {
		out, err := exec.Command("openssl", args...).CombinedOutput()
		return string(out), err
	}
	query, reply := post("-sha256")
	out, err := openssl("ts", "-verify", "-in", reply, "-queryfile", query, "-CAfile", chain)
	require.NoError(t, err, out)
	assert.Contains(t, out, "Verification: OK")
	out, err = openssl("ts", "-verify", "-in", reply, "-data", write("g", []byte("artifacT\n")), "-CAfile", chain)
	assert.Error(t, err, "a changed byte fails: %s", out)
	out, err = openssl("ts", "-reply", "-in", reply, "-text")
	require.NoError(t, err, out)
	assert.Contains(t, out, "Status: Granted.")
	assert.Contains(t, out, "Policy OID: 1.3.6.1.4.1.32473.3161.1")

	signed := token.Signatures(events.StreamName(events.CategorySigningKey, keyID))
	last, err := store.LastPosition(ctx)
	require.NoError(t, err)
	_, reply = post("-sha1")
	out, err = openssl("ts", "-reply", "-in", reply, "-text")
	require.NoError(t, err, out)
	assert.Contains(t, out, "Status: Rejected.")
	assert.Contains(t, out, "unrecognized or unsupported algorithm")
	assert.Equal(t, signed, token.Signatures(events.StreamName(events.CategorySigningKey, keyID)), "nothing signed")
	after, err := store.LastPosition(ctx)
	require.NoError(t, err)
	assert.Equal(t, last, after, "nothing appended")
}
