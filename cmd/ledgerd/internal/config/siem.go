package config

import (
	"os"
	"strings"

	"github.com/certledger/certledger/adapters/siem"
)

// SIEM is where ledgerd forwards its events besides its own read models.
type SIEM struct {
	// SIEMConfig is the JSON file configuring the SIEM forwarder (adapters/siem); empty: no
	// forwarder runs.
	SIEMConfig string `json:"siem_config"`
}

var siemSettings = []setting{
	{"LEDGER_SIEM_CONFIG", "siem-config", "", "JSON file of the SIEM forwarder's sinks (see README); empty: no forwarding",
		func(c *Config) *string { return &c.SIEMConfig }},
}

// LoadSIEM reads the SIEM forwarder's configuration file; ok is false when none is set.
func (s SIEM) LoadSIEM() (cfg siem.Config, ok bool, err error) {
	if s.SIEMConfig == "" {
		return siem.Config{}, false, nil
	}
	cfg, err = siem.LoadConfig(s.SIEMConfig)
	return cfg, err == nil, err
}

// validate reads the file, so that a bad SIEM configuration (unknown fields, a bad sink, an
// unreadable webhook secret) stops start-up like any other bad setting; each problem is reported.
func (s SIEM) validate(bad func(flagName, format string, args ...any)) {
	if s.SIEMConfig == "" {
		return
	}
	data, err := os.ReadFile(s.SIEMConfig)
	if err != nil {
		bad("siem-config", "%v", err)
		return
	}
	if _, err := siem.ParseConfig(data); err != nil {
		for _, problem := range strings.Split(err.Error(), "\n") {
			bad("siem-config", "%s: %s", s.SIEMConfig, problem)
		}
	}
}
