package config

import (
	"fmt"
	"os"

	"github.com/certledger/certledger/projections/discovery"
)

// Discovery configures how discovered certificates are classified.
type Discovery struct {
	// ExternalCAs is a PEM bundle of CA certificates outside the ledger that the organisation
	// knows (a public CA it buys from, a partner's): a discovered certificate chaining to one
	// is known_external, not shadow. Empty: none.
	ExternalCAs string `json:"external_cas"`
}

var discoverySettings = []setting{
	{"LEDGER_EXTERNAL_CAS", "external-cas", "", "PEM bundle of known external CAs: discovered certificates chaining to one are known_external, not shadow",
		func(c *Config) *string { return &c.ExternalCAs }},
}

// LoadExternalCAs reads the bundle; without one, it returns nil (none known).
func (d Discovery) LoadExternalCAs() (*discovery.ExternalCAs, error) {
	if d.ExternalCAs == "" {
		return nil, nil
	}
	bundle, err := os.ReadFile(d.ExternalCAs)
	if err != nil {
		return nil, fmt.Errorf("external CAs: %w", err)
	}
	return discovery.ParseExternalCAs(bundle)
}

// validate reads the bundle, so that a bad one stops start-up like any other bad setting.
func (d Discovery) validate(bad func(flagName, format string, args ...any)) {
	if _, err := d.LoadExternalCAs(); err != nil {
		bad("external-cas", "%v", err)
	}
}
