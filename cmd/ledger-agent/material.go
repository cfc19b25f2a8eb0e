package main

import (
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/pavlo-v-chernykh/keystore-go/v4"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/certledger/certledger/adapters/certinstall"
	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/domain"
)

// material is what certinstall writes: the issued certificate, the chain below the root, the key.
func material(c wire.DeploymentChain, key crypto.PrivateKey) (certinstall.Material, error) {
	leaf, err := parsePEM(c.Certificate)
	if err != nil || len(leaf) != 1 {
		return certinstall.Material{}, fmt.Errorf("the issued certificate is not one PEM certificate (%v)", err)
	}
	chain, err := parsePEM(c.Chain)
	if err != nil {
		return certinstall.Material{}, fmt.Errorf("the chain: %w", err)
	}
	if n := len(chain); n > 0 && chain[n-1].Subject.String() == chain[n-1].Issuer.String() {
		chain = chain[:n-1] // the root is the relying party's, not served
	}
	return certinstall.Material{Leaf: leaf[0], Chain: chain, Key: key}, nil
}

func parsePEM(s string) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	rest := []byte(s)
	for {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			return out, nil
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
}

// files are the target's files in its format: for PEM, cert_path holds the certificate then
// its chain (what a server sends), chain_path the chain alone, key_path the key.
func (a *agent) files(t domain.DeploymentTarget, m certinstall.Material) ([]certinstall.File, error) {
	switch t.Format {
	case domain.FormatPEM:
		return certinstall.PEMFiles{FullChain: t.CertPath, Chain: t.ChainPath, Key: t.KeyPath}.Files(m)
	case domain.FormatPKCS12:
		return certinstall.PKCS12File{Path: t.KeystorePath, Password: a.cfg.KeystorePassword}.Files(m)
	case domain.FormatJKS:
		return certinstall.JKSFile{Path: t.KeystorePath, Alias: "certledger", Password: a.cfg.KeystorePassword}.Files(m)
	}
	return nil, fmt.Errorf("format %q is not pem, pkcs12 or jks", t.Format)
}

// readBack reads the certificate the target's files now hold and returns its fingerprint.
func readBack(t domain.DeploymentTarget, password string) (string, error) {
	switch t.Format {
	case domain.FormatPEM:
		raw, err := os.ReadFile(t.CertPath)
		if err != nil {
			return "", err
		}
		certs, err := parsePEM(string(raw))
		if err != nil || len(certs) == 0 {
			return "", fmt.Errorf("%s holds no certificate: %v", t.CertPath, err)
		}
		return fingerprint(certs[0].Raw), nil
	case domain.FormatPKCS12:
		raw, err := os.ReadFile(t.KeystorePath)
		if err != nil {
			return "", err
		}
		_, cert, _, err := pkcs12.DecodeChain(raw, password)
		if err != nil {
			return "", err
		}
		return fingerprint(cert.Raw), nil
	case domain.FormatJKS:
		f, err := os.Open(t.KeystorePath)
		if err != nil {
			return "", err
		}
		defer f.Close()
		ks := keystore.New()
		if err := ks.Load(f, []byte(password)); err != nil {
			return "", err
		}
		e, err := ks.GetPrivateKeyEntry("certledger", []byte(password))
		if err != nil || len(e.CertificateChain) == 0 {
			return "", fmt.Errorf("no key entry certledger: %v", err)
		}
		return fingerprint(e.CertificateChain[0].Content), nil
	}
	return "", errors.New("unknown format")
}

func fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// verifier says which certificate an endpoint serves, waiting a little for want, since a
// reloading server may serve the previous one for a moment.
type verifier interface {
	served(ctx context.Context, endpoint, serverName, want string) (string, error)
}

// tlsVerifier connects with TLS and takes the leaf the server sends. It compares fingerprints,
// so it trusts nothing: a server sending any other certificate fails the deployment.
type tlsVerifier struct{}

func (tlsVerifier) served(ctx context.Context, endpoint, serverName, want string) (string, error) {
	d := tls.Dialer{NetDialer: &net.Dialer{Timeout: 10 * time.Second},
		Config: &tls.Config{ServerName: serverName, InsecureSkipVerify: true}} //nolint:gosec // fingerprint compared below
	var got string
	var last error
	for attempt := 0; attempt < 25; attempt++ {
		conn, err := d.DialContext(ctx, "tcp", endpoint)
		if err == nil {
			state := conn.(*tls.Conn).ConnectionState()
			conn.Close()
			if len(state.PeerCertificates) == 0 {
				err = errors.New("the server sent no certificate")
			} else if got = fingerprint(state.PeerCertificates[0].Raw); got == want {
				return got, nil
			}
		}
		last = err
		if err := sleep(ctx, 200*time.Millisecond); err != nil {
			return "", err
		}
	}
	if got != "" {
		return got, nil
	}
	return "", last
}
