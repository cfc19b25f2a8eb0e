package config

import (
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
}

var acmeSettings = []setting{
	{"LEDGER_ACME_PROVISIONERS", "acme-provisioners", "", `JSON array of ACME provisioners [{"name","ca_id","profile","team"}]; empty: no ACME`,
		func(c *Config) *string { return &c.ACMEProvisioners }},
	{"LEDGER_ACME_HTTP01_PORT", "acme-http01-port", "80", "port http-01 challenges are validated on",
		func(c *Config) *string { return &c.ACMEHTTP01Port }},
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
	if _, err := a.Provisioners(); err != nil {
		bad("acme-provisioners", "%v", err)
	}
	if p, err := strconv.Atoi(a.ACMEHTTP01Port); err != nil || p < 1 || p > 65535 {
		bad("acme-http01-port", "%q is not a port", a.ACMEHTTP01Port)
	}
}
