package domain

import (
	"strconv"
	"strings"
	"time"
)

// RevocationReason is an RFC 5280 CRLReason code. In JSON it is written as its name.
type RevocationReason int

// The RFC 5280 reason codes; 7 is not used.
const (
	ReasonUnspecified          RevocationReason = 0
	ReasonKeyCompromise        RevocationReason = 1
	ReasonCACompromise         RevocationReason = 2
	ReasonAffiliationChanged   RevocationReason = 3
	ReasonSuperseded           RevocationReason = 4
	ReasonCessationOfOperation RevocationReason = 5
	ReasonCertificateHold      RevocationReason = 6
	ReasonRemoveFromCRL        RevocationReason = 8
	ReasonPrivilegeWithdrawn   RevocationReason = 9
	ReasonAACompromise         RevocationReason = 10
)

var reasonNames = map[RevocationReason]string{
	ReasonUnspecified:          "unspecified",
	ReasonKeyCompromise:        "keyCompromise",
	ReasonCACompromise:         "cACompromise",
	ReasonAffiliationChanged:   "affiliationChanged",
	ReasonSuperseded:           "superseded",
	ReasonCessationOfOperation: "cessationOfOperation",
	ReasonCertificateHold:      "certificateHold",
	ReasonRemoveFromCRL:        "removeFromCRL",
	ReasonPrivilegeWithdrawn:   "privilegeWithdrawn",
	ReasonAACompromise:         "aACompromise",
}

// ParseRevocationReason returns the reason named s, as RFC 5280 spells it ("keyCompromise");
// case, '_' and '-' are ignored, so "key_compromise" works too. An empty s is unspecified.
func ParseRevocationReason(s string) (RevocationReason, error) {
	if strings.TrimSpace(s) == "" {
		return ReasonUnspecified, nil
	}
	key := foldReasonName(s)
	for r, name := range reasonNames {
		if foldReasonName(name) == key {
			return r, nil
		}
	}
	return 0, invalidf("unknown revocation reason %q: want one of %v", s, ReasonNames())
}

// ReasonNames returns the names of every reason, in code order.
func ReasonNames() []string {
	var out []string
	for code := ReasonUnspecified; code <= ReasonAACompromise; code++ {
		if name, ok := reasonNames[code]; ok {
			out = append(out, name)
		}
	}
	return out
}

func foldReasonName(s string) string {
	return strings.NewReplacer("_", "", "-", "", " ", "").Replace(strings.ToLower(strings.TrimSpace(s)))
}

// String returns the RFC 5280 name of the reason.
func (r RevocationReason) String() string {
	if name, ok := reasonNames[r]; ok {
		return name
	}
	return "reason(" + strconv.Itoa(int(r)) + ")"
}

// MarshalText writes the reason's name.
func (r RevocationReason) MarshalText() ([]byte, error) {
	if _, ok := reasonNames[r]; !ok {
		return nil, invalidf("unknown revocation reason code %d", int(r))
	}
	return []byte(r.String()), nil
}

// UnmarshalText reads a reason's name.
func (r *RevocationReason) UnmarshalText(text []byte) error {
	parsed, err := ParseRevocationReason(string(text))
	if err != nil {
		return err
	}
	*r = parsed
	return nil
}

// checkRevocation lists the problems of a revocation: hold and removeFromCRL are refused
// because revocations in the ledger are permanent, and an invalidity date is only for
// keyCompromise and may not lie after the revocation.
func checkRevocation(reason RevocationReason, invalidity *time.Time, at time.Time) error {
	var vs []Violation
	switch _, known := reasonNames[reason]; {
	case !known:
		vs = append(vs, violation("reason", "reason_unknown", "unknown revocation reason code %d", int(reason)))
	case reason == ReasonCertificateHold || reason == ReasonRemoveFromCRL:
		vs = append(vs, violation("reason", "reason_not_supported",
			"%s is not supported: revocations in the ledger are permanent", reason))
	}
	if invalidity != nil {
		if reason != ReasonKeyCompromise {
			vs = append(vs, violation("invalidity_date", "key_compromise_only",
				"an invalidity date is allowed only with keyCompromise, not %s", reason))
		}
		if invalidity.After(at) {
			vs = append(vs, violation("invalidity_date", "invalidity_in_future",
				"invalidity date %s is after the revocation at %s", invalidity.UTC().Format(time.RFC3339), at.UTC().Format(time.RFC3339)))
		}
	}
	return violations(KindPolicy, "revocation refused", vs)
}

// utcPtr returns a UTC copy of t, or nil.
func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
