package testutil

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

// Sightings are n network endpoints, each serving a certificate of its own for its name (one
// key, self-issued: what differs is what discovery keys on, the DER). batch keeps the names,
// and so the certificates, of different calls apart.
func Sightings(tb testing.TB, n int, batch string) []domain.Sighting {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(tb, err)
	out := make([]domain.Sighting, n)
	for i := range out {
		name := fmt.Sprintf("h%d-%s.example.com", i, batch)
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(int64(i + 1)), Subject: pkix.Name{CommonName: name}, DNSNames: []string{name},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(90 * 24 * time.Hour)}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		require.NoError(tb, err)
		out[i] = domain.Sighting{Location: domain.Location{Kind: domain.LocationNetwork,
			Address: fmt.Sprintf("10.%d.%d.%d:443", i>>16, (i>>8)&255, i&255), ServerName: name},
			Outcome: domain.OutcomeOK, Chain: [][]byte{der}}
	}
	return out
}
