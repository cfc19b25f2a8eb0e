package reports

import "math/bits"

// Rules is a set of compliance rules, as the bits of certs.findings.
type Rules uint32

// The compliance rules a certificate is checked against when it is issued, and again when its
// profile changes. The bit values are stored: never renumber one.
const (
	RuleWeakKey             Rules = 1 << iota // RSA below 2048 bits, ECDSA below P-224 (P-192)
	RuleSHA1Signature                         // signed with SHA-1
	RuleValidityOverProfile                   // validity longer than its profile's max_validity_days
	RuleValidityOver398Days                   // a server certificate (EKU serverAuth) valid more than 398 days
	RuleWildcardForbidden                     // a wildcard DNS name where the profile forbids them
	RuleMissingOwner                          // no owner or no team
	ruleEnd
)

// RulePendingApproval is the name of the finding of a request waiting for approval longer
// than the report's threshold; it is computed when the report is asked for (pending_days).
const RulePendingApproval = "pending_approval_stale"

var ruleNames = map[Rules][2]string{
	RuleWeakKey:             {"weak_key", "high"},
	RuleSHA1Signature:       {"sha1_signature", "high"},
	RuleValidityOverProfile: {"validity_over_profile", "medium"},
	RuleValidityOver398Days: {"validity_over_398_days", "medium"},
	RuleWildcardForbidden:   {"wildcard_forbidden", "medium"},
	RuleMissingOwner:        {"missing_owner", "low"},
}

// Name returns the rule's name, for one rule.
func (r Rules) Name() string { return ruleNames[r][0] }

// Severity returns the rule's severity (high, medium, low), for one rule.
func (r Rules) Severity() string { return ruleNames[r][1] }

// List returns the rules of the set, one each, in bit order.
func (r Rules) List() []Rules {
	out := make([]Rules, 0, bits.OnesCount32(uint32(r)))
	for b := Rules(1); b < ruleEnd; b <<= 1 {
		if r&b != 0 {
			out = append(out, b)
		}
	}
	return out
}

// AllRules returns every static rule, in bit order.
func AllRules() []Rules { return (ruleEnd - 1).List() }

// SeverityOf returns the severity of a rule by name ("low" for RulePendingApproval), "" for
// an unknown name.
func SeverityOf(name string) string {
	if name == RulePendingApproval {
		return "low"
	}
	for _, v := range ruleNames {
		if v[0] == name {
			return v[1]
		}
	}
	return ""
}
