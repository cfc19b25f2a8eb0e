package acme_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-acme/lego/v5/acme"
	"github.com/go-acme/lego/v5/certcrypto"
	"github.com/go-acme/lego/v5/certificate"
	"github.com/go-acme/lego/v5/challenge/http01"
	"github.com/go-acme/lego/v5/lego"
	"github.com/go-acme/lego/v5/registration"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/tests/clienttest"
)

// legoUser is the account lego registers.
type legoUser struct {
	key crypto.Signer
	reg *acme.ExtendedAccount
}

func (u *legoUser) GetEmail() string                       { return "ops@example.com" }
func (u *legoUser) GetRegistration() *acme.ExtendedAccount { return u.reg }
func (u *legoUser) GetPrivateKey() crypto.Signer           { return u.key }

// newLego is a lego client of provisioner with a fresh P-256 account key, solving with its
// own http-01 server on the stack's port.
func newLego(t *testing.T, s *stack, provisioner string) (*lego.Client, *legoUser) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	user := &legoUser{key: key}
	cfg := lego.NewConfig(user)
	cfg.CADirURL = s.TLS.URL + "/acme/" + provisioner + "/directory"
	cfg.HTTPClient = s.TLS.Client()
	cfg.Certificate.Timeout = 30 * time.Second
	client, err := lego.NewClient(cfg)
	require.NoError(t, err)
	require.NoError(t, client.Challenge.SetHTTP01Provider(http01.NewProviderServer("127.0.0.1", strconv.Itoa(s.port))))
	return client, user
}

// verified checks a certificate lego obtained with openssl against its issuer, and returns it.
func verified(t *testing.T, res *certificate.Resource, names ...string) *x509.Certificate {
	t.Helper()
	dir := t.TempDir()
	leafPath, caPath := filepath.Join(dir, "leaf.pem"), filepath.Join(dir, "ca.pem")
	require.NoError(t, os.WriteFile(leafPath, res.Certificate, 0o600))
	require.NoError(t, os.WriteFile(caPath, res.IssuerCertificate, 0o600))
	out, err := exec.Command("openssl", "verify", "-CAfile", caPath, leafPath).CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "leaf.pem: OK")
	block, _ := pem.Decode(res.Certificate)
	leaf, err := x509.ParseCertificate(block.Bytes)
	require.NoError(t, err)
	assert.Equal(t, names, leaf.DNSNames)
	return leaf
}

// TestLegoObtainsACertificateOverHTTP01 is issue 14's acceptance: lego registers, orders,
// answers http-01 with its own provider on a loopback port, finalizes and downloads; the
// certificate verifies with openssl against the CA and is in the inventory as the account's.
func TestLegoObtainsACertificateOverHTTP01(t *testing.T) {
	s := startStack(t)
	ctx := context.Background()
	client, user := newLego(t, s, "web")
	var err error
	user.reg, err = client.Registration.Register(ctx, registration.RegisterOptions{TermsOfServiceAgreed: true})
	require.NoError(t, err)
	require.Contains(t, user.reg.Location, "/acme/web/account/")

	res, err := client.Certificate.Obtain(ctx, certificate.ObtainRequest{Domains: []string{"www.example.com"}, Bundle: true, KeyType: certcrypto.EC256})
	require.NoError(t, err)
	leaf := verified(t, res, "www.example.com")
	accountID := user.reg.Location[strings.LastIndex(user.reg.Location, "/")+1:]
	item := inventoryItem(t, s, leaf.SerialNumber.Text(16))
	assert.Equal(t, "acme:web:"+accountID, item.Owner, "the inventory names the ACME account")
	assert.Equal(t, "web", item.Team)
	assert.Equal(t, "issued", item.Status)
}

// inventoryItem waits for the read model to list the certificate with serial.
func inventoryItem(t *testing.T, s *stack, serial string) wire.CertificateListItem {
	t.Helper()
	var found *wire.CertificateListItem
	require.Eventually(t, func() bool {
		req, _ := http.NewRequest(http.MethodGet, s.URL+"/api/v1/certificates", nil)
		req.Header.Set("Authorization", "Bearer "+clienttest.AdminToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		var list struct {
			Items []wire.CertificateListItem `json:"items"`
		}
		if json.NewDecoder(resp.Body).Decode(&list) != nil {
			return false
		}
		for i := range list.Items {
			if strings.TrimLeft(list.Items[i].Serial, "0") == strings.TrimLeft(serial, "0") {
				found = &list.Items[i]
				return true
			}
		}
		return false
	}, 10*time.Second, 50*time.Millisecond)
	return *found
}
