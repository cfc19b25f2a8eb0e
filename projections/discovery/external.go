package discovery

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"sync"
)

// ExternalCAs are the CAs outside the ledger an organisation knows and trusts (a public CA it
// buys from, a partner's): a discovered certificate that chains to one, through the chain it
// was found with, is known_external rather than shadow. The check is made when a list is
// read, not stored, so a change of the configured CAs reclassifies at once; results are kept
// per fingerprint, since a certificate and its chain never change.
type ExternalCAs struct {
	roots *x509.CertPool
	n     int
	seen  sync.Map // fingerprint → anchor subject ("" when it does not chain)
}

// ParseExternalCAs reads a PEM bundle of CA certificates; a bundle without any is an error,
// as is a block that is not a certificate.
func ParseExternalCAs(bundle []byte) (*ExternalCAs, error) {
	e := &ExternalCAs{roots: x509.NewCertPool()}
	for rest := bundle; ; {
		var block *pem.Block
		if block, rest = pem.Decode(rest); block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("external CA bundle: a %q block is not a certificate", block.Type)
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("external CA bundle: certificate %d: %w", e.n+1, err)
		}
		if !c.IsCA {
			return nil, fmt.Errorf("external CA bundle: %s is not a CA certificate", c.Subject)
		}
		e.roots.AddCert(c)
		e.n++
	}
	if e.n == 0 {
		return nil, fmt.Errorf("external CA bundle holds no PEM certificate")
	}
	return e, nil
}

// Len returns the number of CAs.
func (e *ExternalCAs) Len() int {
	if e == nil {
		return 0
	}
	return e.n
}

// anchor returns the subject of the external CA the certificate chains to, through the chain
// it was found with, or "". Validity is checked at the middle of the leaf's lifetime: that a
// certificate expired is a finding of its own, not another issuer.
func (e *ExternalCAs) anchor(fingerprint string, der []byte, chain [][]byte) string {
	if e == nil {
		return ""
	}
	if v, ok := e.seen.Load(fingerprint); ok {
		return v.(string)
	}
	subject := ""
	if leaf, err := x509.ParseCertificate(der); err == nil {
		inter := x509.NewCertPool()
		for _, c := range chain {
			if ic, err := x509.ParseCertificate(c); err == nil {
				inter.AddCert(ic)
			}
		}
		mid := leaf.NotBefore.Add(leaf.NotAfter.Sub(leaf.NotBefore) / 2)
		chains, err := leaf.Verify(x509.VerifyOptions{Roots: e.roots, Intermediates: inter, CurrentTime: mid,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
		if err == nil && len(chains) > 0 {
			top := chains[0][len(chains[0])-1]
			subject = top.Subject.String()
		}
	}
	e.seen.Store(fingerprint, subject)
	return subject
}
