package crl_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/crl"
)

func TestAddIssuerRefusesWhatCannotSignCRLs(t *testing.T) {
	p := newPKI(t)
	noSKI, noCRLSign := *p.ca, *p.ca
	noSKI.SubjectKeyId = nil
	noCRLSign.KeyUsage = x509.KeyUsageCertSign
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	edCert := *p.ca
	edCert.PublicKey = edKey.Public()
	tests := []struct {
		name string
		iss  crl.Issuer
		want string
	}{
		{"no id", crl.Issuer{Certificate: p.ca, Signer: p.caKey}, "without an id"},
		{"no certificate", crl.Issuer{ID: "x", Signer: p.caKey}, "required"},
		{"another key", crl.Issuer{ID: "x", Certificate: p.ca, Signer: newKey(t)}, "not the certificate's"},
		{"no subject key id", crl.Issuer{ID: "x", Certificate: &noSKI, Signer: p.caKey}, "subject key identifier"},
		{"no cRLSign", crl.Issuer{ID: "x", Certificate: &noCRLSign, Signer: p.caKey}, "cRLSign"},
		{"Ed25519 key", crl.Issuer{ID: "x", Certificate: &edCert, Signer: edKey}, "unsupported key type"},
		{"already registered", p.issuer, "already registered"},
	}
	svc := newService(t, p, &source{}, &memNumbers{}, crl.Config{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := svc.AddIssuer(tc.iss)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestNewServiceRefusesBadConfig(t *testing.T) {
	tests := []struct {
		name    string
		src     crl.Source
		numbers crl.NumberStore
		cfg     crl.Config
		want    string
	}{
		{"no source", nil, &memNumbers{}, crl.Config{}, "required"},
		{"no number store", &source{}, nil, crl.Config{}, "required"},
		{"negative poll interval", &source{}, &memNumbers{}, crl.Config{PollInterval: -time.Second}, "negative"},
		{"validity under a minute", &source{}, &memNumbers{}, crl.Config{DeltaValidity: time.Second}, "at least a minute"},
		{"base URL not ASCII", &source{}, &memNumbers{}, crl.Config{BaseURL: "http://ü.example"}, "not printable ASCII"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := crl.NewService(tc.src, tc.numbers, tc.cfg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestIssuerAddedWhileRunningGetsItsEarlierRevocations(t *testing.T) {
	ctx := context.Background()
	src := &source{}
	svc := newService(t, newPKI(t), positioned{src}, &memNumbers{}, crl.Config{})
	require.NoError(t, svc.Refresh(ctx))
	src.revoke("sub", crl.Entry{Serial: big.NewInt(1), RevokedAt: time.Now()}) // Polled while "sub" is unknown.
	require.NoError(t, svc.Refresh(ctx))

	sub := newPKI(t)
	sub.issuer.ID = "sub"
	require.NoError(t, svc.AddIssuer(sub.issuer))
	_, err := svc.Complete("sub")
	require.ErrorIs(t, err, crl.ErrNotBuilt)
	src.revoke("sub", crl.Entry{Serial: big.NewInt(2), RevokedAt: time.Now()})
	require.NoError(t, svc.Refresh(ctx))
	c, err := svc.Complete("sub")
	require.NoError(t, err)
	assert.Equal(t, 2, c.Entries, "the load brings the revocation polled before the CA was added")
	_, err = svc.Complete("nobody")
	require.ErrorIs(t, err, crl.ErrUnknownCA)
}
