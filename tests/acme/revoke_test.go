package acme_test

import (
	"context"
	"crypto/ecdsa"
	"encoding/base64"
	"encoding/pem"
	"net/http"
	"testing"
	"time"

	"github.com/go-acme/lego/v5/certcrypto"
	"github.com/go-acme/lego/v5/certificate"
	"github.com/go-acme/lego/v5/registration"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

// certificateStatus is the status of the certificate with serial on its stream.
func certificateStatus(t *testing.T, s *stack, serial string) domain.CertStatus {
	t.Helper()
	item := inventoryItem(t, s, serial)
	cert, err := s.App.Queries.Certificate(context.Background(), uuid.MustParse(item.ID))
	require.NoError(t, err)
	return cert.Status()
}

func TestRevokeCertByTheAccountAndByTheCertificatesKey(t *testing.T) {
	s := startStack(t)
	ctx := context.Background()
	client, user := newLego(t, s, "web")
	var err error
	user.reg, err = client.Registration.Register(ctx, registration.RegisterOptions{TermsOfServiceAgreed: true})
	require.NoError(t, err)
	obtain := func(name string) (*certificate.Resource, string) {
		res, err := client.Certificate.Obtain(ctx, certificate.ObtainRequest{Domains: []string{name}, KeyType: certcrypto.EC256})
		require.NoError(t, err)
		serial := verified(t, res, name).SerialNumber.Text(16)
		require.Equal(t, domain.StatusIssued, certificateStatus(t, s, serial))
		return res, serial
	}

	byAccount, serial := obtain("a.example.com")
	leaf, err := certcrypto.ParsePEMCertificate(byAccount.Certificate)
	require.NoError(t, err)
	info, err := client.Certificate.GetRenewalInfo(ctx, leaf)
	require.NoError(t, err, "renewalInfo (RFC 9773) for an issued certificate")
	start, end := domain.RenewalWindow(leaf.NotBefore, leaf.NotAfter)
	assert.WithinDuration(t, start, info.SuggestedWindow.Start, time.Second, "the window starts at two thirds of the lifetime")
	assert.WithinDuration(t, end, info.SuggestedWindow.End, time.Second)
	stranger, strangerUser := newLego(t, s, "web")
	strangerUser.reg, err = stranger.Registration.Register(ctx, registration.RegisterOptions{TermsOfServiceAgreed: true})
	require.NoError(t, err)
	before := s.position(t)
	require.Error(t, stranger.Certificate.Revoke(ctx, byAccount.Certificate), "another account revokes nothing")
	assert.Equal(t, before, s.position(t))
	require.NoError(t, client.Certificate.Revoke(ctx, byAccount.Certificate))
	assert.Equal(t, domain.StatusRevoked, certificateStatus(t, s, serial))
	info, err = client.Certificate.GetRenewalInfo(ctx, leaf)
	require.NoError(t, err)
	assert.False(t, info.SuggestedWindow.Start.After(time.Now()), "a revoked certificate is to be renewed now")
	err = client.Certificate.Revoke(ctx, byAccount.Certificate)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "alreadyRevoked")

	byKey, serial := obtain("k.example.com")
	keyBlock, _ := pem.Decode(byKey.PrivateKey)
	certKey, err := certcrypto.ParsePEMPrivateKey(pem.EncodeToMemory(keyBlock))
	require.NoError(t, err)
	holder := &rawClient{t: t, s: s, key: certKey.(*ecdsa.PrivateKey), prov: "web"}
	leafBlock, _ := pem.Decode(byKey.Certificate)
	payload := map[string]any{"certificate": base64.RawURLEncoding.EncodeToString(leafBlock.Bytes), "reason": 1}
	outsider := newRawClient(t, s)
	status, body := outsider.post(outsider.url("/revoke-cert"), outsider.nonce(), payload)
	assert.Equal(t, http.StatusForbidden, status, "a jwk that is not the certificate's key: %v", body)
	status, body = holder.post(holder.url("/revoke-cert"), holder.nonce(), payload)
	require.Equal(t, http.StatusOK, status, "%v", body)
	assert.Equal(t, domain.StatusRevoked, certificateStatus(t, s, serial))
}
