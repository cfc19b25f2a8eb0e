package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// Config is the host's configuration of ledger-agent (host.json). What the agent may do on its
// host is said here and nowhere else: the directories it may write (AllowedRoots) and the
// commands its reload hooks run, by name. The ledger names a hook; it never sends a command.
type Config struct {
	// URL is the ledger's TLS listener, such as https://ledger.example:8443.
	URL string `json:"url"`
	// CAFile is the PEM of the CA that signed the ledger's TLS certificate.
	CAFile string `json:"ca_file"`
	// Dir holds the agent's identity (agent.key, agent.pem, agent.id) and its state: journals
	// of deployments in progress and their keys. It must lie outside AllowedRoots.
	Dir          string   `json:"dir"`
	AllowedRoots []string `json:"allowed_roots"`
	// Hooks are the reload hooks by name, each a command and its arguments, run without a shell.
	Hooks map[string][]string `json:"hooks"`
	// KeystorePassword protects the PKCS#12 and JKS stores the agent writes; it never leaves
	// the host. Default "changeit".
	KeystorePassword string `json:"keystore_password"`
	// Heartbeat is how often the agent reports itself; default 30s.
	Heartbeat duration `json:"heartbeat"`
	// Host is the name the agent reports; default the host name.
	Host string `json:"host"`
}

// duration is a time.Duration written as "30s" in JSON.
type duration time.Duration

func (d *duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := time.ParseDuration(s)
	*d = duration(v)
	return err
}

// loadConfig reads and checks a host configuration file.
func loadConfig(path string) (Config, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return Config{}, err
	}
	var c Config
	if err := json.Unmarshal(raw, &c); err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	if c.KeystorePassword == "" {
		c.KeystorePassword = "changeit"
	}
	if c.Heartbeat == 0 {
		c.Heartbeat = duration(30 * time.Second)
	}
	if c.Host == "" {
		c.Host, _ = os.Hostname()
	}
	var problems []error
	if c.URL == "" || c.Dir == "" {
		problems = append(problems, errors.New("url and dir are required"))
	}
	for _, r := range c.AllowedRoots {
		if !filepath.IsAbs(r) {
			problems = append(problems, fmt.Errorf("allowed root %q is not absolute", r))
		}
	}
	for name, argv := range c.Hooks {
		if len(argv) == 0 || !filepath.IsAbs(argv[0]) && filepath.Base(argv[0]) != argv[0] {
			problems = append(problems, fmt.Errorf("hook %q needs a command", name))
		}
	}
	if err := errors.Join(problems...); err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// serverPool is the pool that verifies the ledger's TLS certificate: CAFile, else the system's.
func serverPool(caFile string) (*x509.CertPool, error) {
	if caFile == "" {
		return x509.SystemCertPool()
	}
	raw, err := os.ReadFile(caFile)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(raw) {
		return nil, fmt.Errorf("%s holds no PEM certificate", caFile)
	}
	return pool, nil
}

// httpClient speaks TLS 1.3 to the ledger, with the agent's client certificate when given.
func httpClient(caFile string, identity *tls.Certificate, timeout time.Duration) (*http.Client, error) {
	pool, err := serverPool(caFile)
	if err != nil {
		return nil, fmt.Errorf("the ledger's CA: %w", err)
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS13, RootCAs: pool}
	if identity != nil {
		cfg.Certificates = []tls.Certificate{*identity}
	}
	return &http.Client{Timeout: timeout, Transport: &http.Transport{TLSClientConfig: cfg, ForceAttemptHTTP2: true,
		IdleConnTimeout: 90 * time.Second}}, nil
}
