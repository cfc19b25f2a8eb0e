package config

import "github.com/certledger/certledger/api/est"

// EST configures the EST endpoints (api/est).
type EST struct {
	// ESTLabels is a JSON array of {"label","ca_id","profile"}; the label "" is served at
	// /.well-known/est/, the others at /.well-known/est/<label>/. Empty: no EST.
	ESTLabels string `json:"est_labels"`
}

var estSettings = []setting{
	{"LEDGER_EST_LABELS", "est-labels", "", `JSON array of EST labels [{"label","ca_id","profile"}], "" the default; empty: no EST`,
		func(c *Config) *string { return &c.ESTLabels }},
}

// Labels reads the EST labels; none when unset.
func (e EST) Labels() ([]est.Label, error) {
	if e.ESTLabels == "" {
		return nil, nil
	}
	return est.ParseLabels([]byte(e.ESTLabels))
}

func (e EST) validate(bad func(flagName, format string, args ...any)) {
	if _, err := e.Labels(); err != nil {
		bad("est-labels", "%v", err)
	}
}
