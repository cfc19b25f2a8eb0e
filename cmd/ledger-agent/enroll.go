package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/domain"
)

// The files of an agent's identity in its directory.
const (
	keyFile  = "agent.key" // the agent's P-256 key, PKCS#8, mode 0600, made on this host
	certFile = "agent.pem" // its client certificate, then the chain above it
	idFile   = "agent.id"
)

// enroll generates the agent's key on this host, sends its CSR with the join token, and keeps
// the key (0600) and the certificate in dir. The key never leaves the host.
func enroll(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("enroll", flag.ContinueOnError)
	url := fs.String("url", "", "the ledger's URL, such as https://ledger.example:8443")
	token := fs.String("join-token", "", "the one-time join token (clj_…) SEC_OPS minted")
	caFile := fs.String("ca-file", "", "the PEM of the CA of the ledger's TLS certificate (default: the system's)")
	dir := fs.String("dir", "/var/lib/ledger-agent", "where the agent keeps its key and certificate")
	host, _ := os.Hostname()
	fs.StringVar(&host, "host", host, "the host name the agent reports")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *url == "" || *token == "" {
		return errors.New("enroll needs --url and --join-token")
	}
	id, err := agentIDOf(*token)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*dir, 0o700); err != nil {
		return err
	}
	key, err := loadOrCreateKey(filepath.Join(*dir, keyFile))
	if err != nil {
		return err
	}
	csr, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{DNSNames: []string{domain.AgentDNSName(id.String())}}, key)
	if err != nil {
		return fmt.Errorf("CSR: %w", err)
	}
	hc, err := httpClient(*caFile, nil, 30*time.Second)
	if err != nil {
		return err
	}
	got, err := client.New(*url, "", client.WithHTTPClient(hc), client.WithUserAgent("ledger-agent/"+version)).Enroll(ctx, wire.EnrollRequest{
		JoinToken: *token, CSR: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: csr})), Host: host, Version: version})
	if err != nil {
		return fmt.Errorf("enroll: %w", err)
	}
	if err := writeFile(filepath.Join(*dir, certFile), []byte(got.Certificate+got.Chain), 0o644); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(*dir, idFile), []byte(got.AgentID+"\n"), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "enrolled agent %s of team %s; identity in %s\n", got.AgentID, got.Team, *dir)
	return nil
}

// agentIDOf reads the agent id a join token names: clj_<32 hex digits>_<secret>.
func agentIDOf(token string) (uuid.UUID, error) {
	rest, ok := strings.CutPrefix(token, "clj_")
	if !ok || len(rest) < 33 || rest[32] != '_' {
		return uuid.Nil, errors.New("the join token is not clj_<32 hex digits>_<secret>")
	}
	raw, err := hex.DecodeString(rest[:32])
	if err != nil {
		return uuid.Nil, errors.New("the join token's id is not hex")
	}
	return uuid.UUID(raw), nil
}

// loadOrCreateKey reads a P-256 PKCS#8 key, or makes one and writes it 0600 first: a retried
// enrollment, or a deployment resumed after a crash, uses the same key.
func loadOrCreateKey(path string) (*ecdsa.PrivateKey, error) {
	if raw, err := os.ReadFile(path); err == nil {
		block, _ := pem.Decode(raw)
		if block == nil {
			return nil, fmt.Errorf("%s is not PEM", path)
		}
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if ec, ok := k.(*ecdsa.PrivateKey); err == nil && ok {
			return ec, nil
		}
		return nil, fmt.Errorf("%s is not a P-256 PKCS#8 key", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return nil, err
	}
	return k, writeFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600)
}

// writeFile writes data to path through a temporary file, fsynced and renamed.
func writeFile(path string, data []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
