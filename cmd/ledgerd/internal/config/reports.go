package config

import (
	"github.com/certledger/certledger/projections/reports"
)

// Reports configures the report queries.
type Reports struct {
	// ReportPrices is the JSON price table of the cost report (projections/reports.PriceTable);
	// empty prices every certificate at 0.
	ReportPrices string `json:"report_prices"`
}

var reportSettings = []setting{
	{"LEDGER_REPORT_PRICES", "report-prices", "", "JSON price table of the cost report (see README); empty: every certificate costs 0",
		func(c *Config) *string { return &c.ReportPrices }},
}

// LoadPrices reads the price table; without one, every price is 0.
func (r Reports) LoadPrices() (reports.PriceTable, error) {
	if r.ReportPrices == "" {
		return reports.PriceTable{}, nil
	}
	return reports.LoadPrices(r.ReportPrices)
}

// validate reads the price table, so that a bad one stops start-up like any other bad setting.
func (r Reports) validate(bad func(flagName, format string, args ...any)) {
	if _, err := r.LoadPrices(); err != nil {
		bad("report-prices", "%v", err)
	}
}
