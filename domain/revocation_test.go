package domain_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

func TestParseRevocationReason(t *testing.T) {
	tests := []struct {
		in   string
		want domain.RevocationReason
		code int
	}{
		{"", domain.ReasonUnspecified, 0},
		{"unspecified", domain.ReasonUnspecified, 0},
		{"keyCompromise", domain.ReasonKeyCompromise, 1},
		{"key_compromise", domain.ReasonKeyCompromise, 1},
		{"KEY-COMPROMISE", domain.ReasonKeyCompromise, 1},
		{"cACompromise", domain.ReasonCACompromise, 2},
		{"affiliationChanged", domain.ReasonAffiliationChanged, 3},
		{"superseded", domain.ReasonSuperseded, 4},
		{"cessationOfOperation", domain.ReasonCessationOfOperation, 5},
		{"certificateHold", domain.ReasonCertificateHold, 6},
		{"removeFromCRL", domain.ReasonRemoveFromCRL, 8},
		{"privilegeWithdrawn", domain.ReasonPrivilegeWithdrawn, 9},
		{"aACompromise", domain.ReasonAACompromise, 10},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := domain.ParseRevocationReason(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.code, int(got))
		})
	}
	for _, bad := range []string{"compromised", "7", "keyCompromised"} {
		t.Run("unknown "+bad, func(t *testing.T) {
			_, err := domain.ParseRevocationReason(bad)
			assert.True(t, domain.IsKind(err, domain.KindInvalid), "%v", err)
		})
	}
}

func TestRevocationReasonJSON(t *testing.T) {
	data, err := json.Marshal(struct{ R domain.RevocationReason }{domain.ReasonCessationOfOperation})
	require.NoError(t, err)
	assert.JSONEq(t, `{"R":"cessationOfOperation"}`, string(data))

	var back struct{ R domain.RevocationReason }
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Equal(t, domain.ReasonCessationOfOperation, back.R)

	_, err = json.Marshal(domain.RevocationReason(7))
	assert.Error(t, err, "code 7 is unused")
	assert.Error(t, json.Unmarshal([]byte(`{"R":"nope"}`), &back))
	assert.Equal(t, "reason(7)", domain.RevocationReason(7).String())
	assert.Len(t, domain.ReasonNames(), 10)
}
