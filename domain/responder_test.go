package domain_test

import (
	"crypto/rand"
	"crypto/x509"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

func TestCertifyResponder(t *testing.T) {
	c := newChain(t)
	respKey := newKey(t)
	tmpl, err := domain.ResponderTemplate(c.inter, big.NewInt(77), respKey.Public(), t0)
	require.NoError(t, err)
	der, err := x509.CreateCertificate(rand.Reader, tmpl, c.inter.Certificate(), respKey.Public(), c.interKey)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	assert.Equal(t, []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning}, cert.ExtKeyUsage)
	assert.Equal(t, t0.Add(domain.ResponderValidityDays*24*time.Hour), cert.NotAfter)
	assert.True(t, hasExtension(cert, "1.3.6.1.5.5.7.48.1.5"), "id-pkix-ocsp-nocheck")

	evs, err := announced(t, c.inter, der).CertifyResponder(der, "ca-x-ocsp", t0)
	require.NoError(t, err)
	require.NoError(t, c.inter.Apply(evs[0]))
	got, label, notAfter, ok := c.inter.Responder()
	require.True(t, ok)
	assert.Equal(t, der, got)
	assert.Equal(t, "ca-x-ocsp", label)
	assert.Equal(t, cert.NotAfter, notAfter)

	// A certificate signed by another CA, or a CA certificate, is not a responder of this CA.
	foreign, err := x509.CreateCertificate(rand.Reader, tmpl, c.root.Certificate(), respKey.Public(), c.rootKey)
	require.NoError(t, err)
	_, err = announced(t, c.inter, foreign).CertifyResponder(foreign, "l", t0)
	assert.True(t, domain.IsKind(err, domain.KindInvalid), "%v", err)
	_, err = c.inter.CertifyResponder(c.inter.CertificateDER(), "l", t0)
	assert.True(t, domain.IsKind(err, domain.KindInvalid), "%v", err)
}

func hasExtension(c *x509.Certificate, oid string) bool {
	for _, e := range c.Extensions {
		if e.Id.String() == oid {
			return true
		}
	}
	return false
}
