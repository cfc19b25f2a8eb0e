package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"github.com/shopspring/decimal"
)

// PriceTable prices one issuance of a certificate, by CA and profile (the certificate type).
// A price is an exact decimal, written in the file as a string or a number ("0.10", 0.10);
// it never passes through a float. Look-up order: the CA's profile price, the CA's default,
// the table's default (0 when unset), so internal CAs need no entry. CAs are named by their
// name or their id.
type PriceTable struct {
	Currency string              `json:"currency"`
	Default  decimal.Decimal     `json:"default"`
	CAs      map[string]CAPrices `json:"cas"`
}

// CAPrices are the prices of one CA.
type CAPrices struct {
	Default  *decimal.Decimal           `json:"default"`
	Profiles map[string]decimal.Decimal `json:"profiles"`
}

// Price returns the price of one certificate of the CA (id and name) and profile.
func (t PriceTable) Price(caID, caName, profile string) decimal.Decimal {
	for _, key := range []string{caID, caName} {
		c, ok := t.CAs[key]
		if !ok || key == "" {
			continue
		}
		if p, ok := c.Profiles[profile]; ok {
			return p
		}
		if c.Default != nil {
			return *c.Default
		}
	}
	return t.Default
}

// LoadPrices reads a price table from a JSON file; unknown fields are errors.
func LoadPrices(path string) (PriceTable, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return PriceTable{}, fmt.Errorf("price table: %w", err)
	}
	return ParsePrices(raw)
}

// ParsePrices parses a price table; unknown fields and negative prices are errors.
func ParsePrices(raw []byte) (PriceTable, error) {
	var t PriceTable
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	if err := d.Decode(&t); err != nil {
		return PriceTable{}, fmt.Errorf("price table: %w", err)
	}
	bad := t.Default.IsNegative()
	for _, c := range t.CAs {
		bad = bad || (c.Default != nil && c.Default.IsNegative())
		for _, p := range c.Profiles {
			bad = bad || p.IsNegative()
		}
	}
	if bad {
		return PriceTable{}, fmt.Errorf("price table: a price is negative")
	}
	return t, nil
}
