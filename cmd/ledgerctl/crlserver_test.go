package main

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/tests/clienttest"
)

// crlServer serves a CA's CRL at the CRL distribution points a test ledger's certificates
// name (PublicBase + /crl/…), as ledgerd does: osslsigncode fetches it when it attaches or
// verifies an Authenticode signature.
type crlServer struct {
	*httptest.Server
	mu  sync.Mutex
	der []byte
}

func newCRLServer(t *testing.T) *crlServer {
	s := &crlServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if !strings.HasPrefix(r.URL.Path, "/crl/") || s.der == nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/pkix-crl")
		_, _ = w.Write(s.der)
	}))
	t.Cleanup(s.Close)
	return s
}

// publish signs, with the CA's HSM key, a CRL listing serials and serves it.
func (s *crlServer) publish(t *testing.T, l *clienttest.Ledger, ca map[string]any, number int64, serials ...*big.Int) {
	t.Helper()
	block, _ := pem.Decode([]byte(ca["certificate"].(string)))
	require.NotNil(t, block, "the CA's certificate")
	cert, err := x509.ParseCertificate(block.Bytes)
	require.NoError(t, err)
	signer, err := l.HSM.Signer(ca["key_label"].(string))
	require.NoError(t, err)
	now := time.Now()
	tmpl := &x509.RevocationList{Number: big.NewInt(number), ThisUpdate: now.Add(-time.Minute), NextUpdate: now.Add(time.Hour)}
	for _, serial := range serials {
		tmpl.RevokedCertificateEntries = append(tmpl.RevokedCertificateEntries,
			x509.RevocationListEntry{SerialNumber: serial, RevocationTime: now.Add(-time.Minute)})
	}
	der, err := x509.CreateRevocationList(rand.Reader, tmpl, cert, signer)
	require.NoError(t, err)
	s.mu.Lock()
	s.der = der
	s.mu.Unlock()
}
