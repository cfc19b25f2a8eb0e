package config

import (
	"fmt"
	"os"
	"time"

	"github.com/certledger/certledger/projections/discovery"
)

// Discovery configures how discovered certificates are classified, and the renewal scheduler
// that acts on what discovery and issuance put in the inventory.
type Discovery struct {
	// RenewalInterval is how often the renewal scheduler runs a round (1s to 24h).
	RenewalInterval string `json:"renewal_interval"`
	// ExternalCAs is a PEM bundle of CA certificates outside the ledger that the organisation
	// knows (a public CA it buys from, a partner's): a discovered certificate chaining to one
	// is known_external, not shadow. Empty: none.
	ExternalCAs string `json:"external_cas"`
}

var discoverySettings = []setting{
	{"LEDGER_RENEWAL_INTERVAL", "renewal-interval", "1m", "run a round of the renewal scheduler this often (1s to 24h)",
		func(c *Config) *string { return &c.RenewalInterval }},
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

// RenewalEvery returns RenewalInterval parsed.
func (d Discovery) RenewalEvery() time.Duration {
	e, _ := time.ParseDuration(d.RenewalInterval) // validate checked it
	return e
}

// validate reads the bundle and the interval, so that a bad one stops start-up like any other
// bad setting.
func (d Discovery) validate(bad func(flagName, format string, args ...any)) {
	if e, err := time.ParseDuration(d.RenewalInterval); err != nil || e < time.Second || e > 24*time.Hour {
		bad("renewal-interval", "%q is not a duration from 1s to 24h", d.RenewalInterval)
	}
	if _, err := d.LoadExternalCAs(); err != nil {
		bad("external-cas", "%v", err)
	}
}
