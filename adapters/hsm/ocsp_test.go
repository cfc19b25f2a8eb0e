package hsm_test

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ocsp"

	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/adapters/hsm/hsmtest"
)

func TestSignerMakesOCSPResponses(t *testing.T) {
	h := hsmtest.Open(t)
	for _, tc := range []struct {
		name string
		alg  hsm.KeyAlgorithm
	}{
		{name: "ecdsa-p256", alg: hsm.ECDSAP256},
		{name: "rsa-2048", alg: hsm.RSA2048},
	} {
		t.Run(tc.name, func(t *testing.T) {
			label := hsmtest.Label(t, "ocsp")
			_, err := h.GenerateKey(context.Background(), label, tc.alg)
			require.NoError(t, err)
			signer, err := h.Signer(label)
			require.NoError(t, err)

			now := time.Now().Truncate(time.Second)
			tmpl := &x509.Certificate{
				SerialNumber:          big.NewInt(1),
				Subject:               pkix.Name{CommonName: "certledger OCSP test CA"},
				NotBefore:             now.Add(-time.Minute),
				NotAfter:              now.Add(time.Hour),
				IsCA:                  true,
				BasicConstraintsValid: true,
				KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
			}
			der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, signer.Public(), signer)
			require.NoError(t, err)
			issuer, err := x509.ParseCertificate(der)
			require.NoError(t, err)

			resp, err := ocsp.CreateResponse(issuer, issuer, ocsp.Response{
				Status:             ocsp.Revoked,
				SerialNumber:       big.NewInt(7),
				ThisUpdate:         now,
				NextUpdate:         now.Add(time.Hour),
				RevokedAt:          now.Add(-time.Minute),
				SignatureAlgorithm: tc.alg.X509SignatureAlgorithm(),
			}, signer)
			require.NoError(t, err)

			parsed, err := ocsp.ParseResponse(resp, issuer) // checks the signature
			require.NoError(t, err)
			assert.Equal(t, ocsp.Revoked, parsed.Status)
			assert.Equal(t, int64(7), parsed.SerialNumber.Int64())
		})
	}
}
