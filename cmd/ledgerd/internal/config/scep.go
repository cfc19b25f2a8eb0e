package config

import "github.com/certledger/certledger/api/scep"

// SCEP configures the SCEP endpoints (api/scep).
type SCEP struct {
	// SCEPProvisioners is a JSON array of {"name","ca_id","profile"}; each is served at
	// /scep/<name>. Empty: no SCEP.
	SCEPProvisioners string `json:"scep_provisioners"`
}

var scepSettings = []setting{
	{"LEDGER_SCEP_PROVISIONERS", "scep-provisioners", "", `JSON array of SCEP provisioners [{"name","ca_id","profile"}]; empty: no SCEP`,
		func(c *Config) *string { return &c.SCEPProvisioners }},
}

// SCEPProvisionerList reads the SCEP provisioners; none when unset.
func (s SCEP) SCEPProvisionerList() ([]scep.Provisioner, error) {
	if s.SCEPProvisioners == "" {
		return nil, nil
	}
	return scep.ParseProvisioners([]byte(s.SCEPProvisioners))
}

func (s SCEP) validate(bad func(flagName, format string, args ...any)) {
	if _, err := s.SCEPProvisionerList(); err != nil {
		bad("scep-provisioners", "%v", err)
	}
}
