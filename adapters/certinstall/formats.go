package certinstall

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io/fs"
	"time"

	"github.com/pavlo-v-chernykh/keystore-go/v4"
	"software.sslmate.com/src/go-pkcs12"
)

// Material is what a deployment installs: the certificate, the chain up to (not including)
// the root, and the key the host generated for it.
type Material struct {
	Leaf  *x509.Certificate
	Chain []*x509.Certificate
	Key   crypto.PrivateKey
}

// PEMFiles names the PEM files of a deployment; empty names are not written.
type PEMFiles struct {
	Cert      string // the leaf alone
	Chain     string // the intermediates
	FullChain string // the leaf, then the intermediates (nginx's ssl_certificate)
	Key       string // the PKCS#8 private key, mode 0600
}

// Files encodes m as the PEM files named.
func (p PEMFiles) Files(m Material) ([]File, error) {
	keyDER, err := x509.MarshalPKCS8PrivateKey(m.Key)
	if err != nil {
		return nil, fmt.Errorf("encode the key as PKCS#8: %w", err)
	}
	var out []File
	add := func(path string, mode fs.FileMode, blocks []byte) {
		if path != "" {
			out = append(out, File{Path: path, Data: blocks, Mode: mode})
		}
	}
	add(p.Cert, 0o644, certsPEM(m.Leaf))
	add(p.Chain, 0o644, certsPEM(m.Chain...))
	add(p.FullChain, 0o644, certsPEM(append([]*x509.Certificate{m.Leaf}, m.Chain...)...))
	add(p.Key, 0o600, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}))
	return out, nil
}

func certsPEM(certs ...*x509.Certificate) []byte {
	var out []byte
	for _, c := range certs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out
}

// PKCS12File is a PKCS#12 key store at Path, protected by Password with the modern
// algorithms (AES-256-CBC, PBKDF2, SHA-256 MAC) that OpenSSL 3 and Java 17+ read.
type PKCS12File struct {
	Path, Password string
}

// Files encodes m as the PKCS#12 file.
func (p PKCS12File) Files(m Material) ([]File, error) {
	der, err := pkcs12.Modern.Encode(m.Key, m.Leaf, m.Chain, p.Password)
	if err != nil {
		return nil, fmt.Errorf("encode PKCS#12: %w", err)
	}
	return []File{{Path: p.Path, Data: der, Mode: 0o600}}, nil
}

// JKSFile is a Java KeyStore at Path holding one key entry under Alias; the store and the
// entry are protected by Password (keytool's default of one password for both).
type JKSFile struct {
	Path, Alias, Password string
}

// Files encodes m as the Java KeyStore.
func (j JKSFile) Files(m Material) ([]File, error) {
	keyDER, err := x509.MarshalPKCS8PrivateKey(m.Key)
	if err != nil {
		return nil, fmt.Errorf("encode the key as PKCS#8: %w", err)
	}
	entry := keystore.PrivateKeyEntry{CreationTime: time.Now(), PrivateKey: keyDER}
	for _, c := range append([]*x509.Certificate{m.Leaf}, m.Chain...) {
		entry.CertificateChain = append(entry.CertificateChain, keystore.Certificate{Type: "X509", Content: c.Raw})
	}
	ks := keystore.New()
	if err := ks.SetPrivateKeyEntry(j.Alias, entry, []byte(j.Password)); err != nil {
		return nil, fmt.Errorf("JKS entry %q: %w", j.Alias, err)
	}
	var buf bytes.Buffer
	if err := ks.Store(&buf, []byte(j.Password)); err != nil {
		return nil, fmt.Errorf("encode JKS: %w", err)
	}
	return []File{{Path: j.Path, Data: buf.Bytes(), Mode: 0o600}}, nil
}
