package config

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"strconv"

	"github.com/certledger/certledger/api/acme"
)

// ACME configures the ACME endpoints (api/acme).
type ACME struct {
	// ACMEProvisioners is a JSON array of {"name","ca_id","profile","team"}; each is served at
	// /acme/<name>/directory. Empty: no ACME.
	ACMEProvisioners string `json:"acme_provisioners"`
	// ACMEHTTP01Port is the port http-01 challenges are fetched from (80 by RFC 8555).
	ACMEHTTP01Port string `json:"acme_http01_port"`
	// ACMETLSALPN01Port is the port tls-alpn-01 challenges are validated on (443 by RFC 8737).
	ACMETLSALPN01Port string `json:"acme_tlsalpn01_port"`
	// ACMEDNSResolver is the host:port dns-01 TXT records are asked of; empty: the system's.
	ACMEDNSResolver string `json:"acme_dns_resolver"`
	// ACMEEABSecretFile holds the secret (at least 32 bytes) External Account Binding keys are
	// derived from; empty: no EAB, and no provisioner may require it.
	ACMEEABSecretFile string `json:"acme_eab_secret_file"`
}

var acmeSettings = []setting{
	{"LEDGER_ACME_PROVISIONERS", "acme-provisioners", "", `JSON array of ACME provisioners [{"name","ca_id","profile","team"}]; empty: no ACME`,
		func(c *Config) *string { return &c.ACMEProvisioners }},
	{"LEDGER_ACME_HTTP01_PORT", "acme-http01-port", "80", "port http-01 challenges are validated on",
		func(c *Config) *string { return &c.ACMEHTTP01Port }},
	{"LEDGER_ACME_TLSALPN01_PORT", "acme-tlsalpn01-port", "443", "port tls-alpn-01 challenges are validated on",
		func(c *Config) *string { return &c.ACMETLSALPN01Port }},
	{"LEDGER_ACME_DNS_RESOLVER", "acme-dns-resolver", "", "host:port of the DNS server dns-01 records are asked of; empty: the system's",
		func(c *Config) *string { return &c.ACMEDNSResolver }},
	{"LEDGER_ACME_EAB_SECRET_FILE", "acme-eab-secret-file", "", "file of the secret (>= 32 bytes) ACME EAB keys derive from; empty: no EAB",
		func(c *Config) *string { return &c.ACMEEABSecretFile }},
}

// EABKeyring reads the EAB secret into a keyring (at start, like the HSM PIN file, not when
// the configuration is validated); nil without a secret file.
func (a ACME) EABKeyring() (*acme.EABKeyring, error) {
	if a.ACMEEABSecretFile == "" {
		return nil, nil
	}
	secret, err := os.ReadFile(a.ACMEEABSecretFile)
	if err != nil {
		return nil, fmt.Errorf("ACME EAB secret: %w", err)
	}
	return acme.NewEABKeyring(bytes.TrimSpace(secret))
}

// TLSALPN01Port is the validated tls-alpn-01 port.
func (a ACME) TLSALPN01Port() int {
	p, _ := strconv.Atoi(a.ACMETLSALPN01Port)
	return p
}

// Provisioners reads the ACME provisioners; none when unset.
func (a ACME) Provisioners() ([]acme.Provisioner, error) {
	if a.ACMEProvisioners == "" {
		return nil, nil
	}
	return acme.ParseProvisioners([]byte(a.ACMEProvisioners))
}

// HTTP01Port is the validated http-01 port.
func (a ACME) HTTP01Port() int {
	p, _ := strconv.Atoi(a.ACMEHTTP01Port)
	return p
}

func (a ACME) validate(bad func(flagName, format string, args ...any)) {
	ps, err := a.Provisioners()
	if err != nil {
		bad("acme-provisioners", "%v", err)
	}
	for _, port := range [][2]string{{"acme-http01-port", a.ACMEHTTP01Port}, {"acme-tlsalpn01-port", a.ACMETLSALPN01Port}} {
		if p, err := strconv.Atoi(port[1]); err != nil || p < 1 || p > 65535 {
			bad(port[0], "%q is not a port", port[1])
		}
	}
	if _, _, err := net.SplitHostPort(a.ACMEDNSResolver); a.ACMEDNSResolver != "" && err != nil {
		bad("acme-dns-resolver", "%q is not host:port", a.ACMEDNSResolver)
	}
	for _, p := range ps {
		if p.ExternalAccountRequired && a.ACMEEABSecretFile == "" {
			bad("acme-eab-secret-file", "ACME provisioner %q requires EAB, and there is no secret to verify it", p.Name)
		}
	}
}
