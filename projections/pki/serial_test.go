package pki_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/certledger/certledger/projections/pki"
)

func TestNormalizeSerial(t *testing.T) {
	for in, want := range map[string]string{
		"d16eb19f":       "d16eb19f",
		"0D:16:EB:19":    "d16eb19",
		" 0x00ff ":       "ff",
		"00":             "0",
		"1a 2b 3c":       "1a2b3c",
		"ABCDEF0123":     "abcdef0123",
		"0x0D:16:eb:19f": "d16eb19f",
	} {
		assert.Equal(t, want, pki.NormalizeSerial(in), in)
	}
}
