package pki

import (
	"math/big"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestByDigitsOrdersTextOrderedSerialsNumerically(t *testing.T) {
	tests := []struct {
		name string
		text []string // serials in the text order Postgres returns them
		want []string
	}{
		{"empty", nil, nil},
		{"one length", []string{"10", "1f", "a0"}, []string{"10", "1f", "a0"}},
		{"mixed lengths", []string{"0", "1", "10", "1ff", "2", "ab", "f"}, []string{"0", "1", "2", "f", "10", "ab", "1ff"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var in []Revocation
			for _, s := range tt.text {
				n, _ := new(big.Int).SetString(s, 16)
				in = append(in, Revocation{Serial: n})
			}
			var got []string
			for _, r := range byDigits(in) {
				got = append(got, r.Serial.Text(16))
			}
			assert.Equal(t, tt.want, got)
			assert.True(t, slices.IsSortedFunc(byDigits(in), func(a, b Revocation) int { return a.Serial.Cmp(b.Serial) }))
		})
	}
}
