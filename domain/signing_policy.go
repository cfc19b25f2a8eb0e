package domain

import (
	"crypto"
	"slices"
	"strings"
	"time"
)

// DigestAlgorithm names the digest a client computed over an artifact: sha256, sha384 or
// sha512. SHA-1 and MD5 are always refused, whatever a policy says.
type DigestAlgorithm string

// The digest algorithms a signature request may use.
const (
	DigestSHA256 DigestAlgorithm = "sha256"
	DigestSHA384 DigestAlgorithm = "sha384"
	DigestSHA512 DigestAlgorithm = "sha512"
)

var digestHashes = map[DigestAlgorithm]crypto.Hash{
	DigestSHA256: crypto.SHA256, DigestSHA384: crypto.SHA384, DigestSHA512: crypto.SHA512,
}

// ParseDigestAlgorithm returns the algorithm named s ("sha256", "SHA-256", …). SHA-1 and MD5
// are a KindPolicy error (never accepted), any other name KindInvalid.
func ParseDigestAlgorithm(s string) (DigestAlgorithm, error) {
	name := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "-", "")
	switch name {
	case "sha1", "md5":
		return "", violations(KindPolicy, "digest algorithm refused", []Violation{violation("digest_algorithm",
			"weak_digest", "%s is never accepted for signing: use sha256, sha384 or sha512", s)})
	}
	if _, ok := digestHashes[DigestAlgorithm(name)]; !ok {
		return "", invalidf("unknown digest algorithm %q: want sha256, sha384 or sha512", s)
	}
	return DigestAlgorithm(name), nil
}

// Hash returns the algorithm's crypto.Hash.
func (d DigestAlgorithm) Hash() crypto.Hash { return digestHashes[d] }

// CheckDigest is a KindInvalid error unless digest has the algorithm's length.
func (d DigestAlgorithm) CheckDigest(digest []byte) error {
	if n := d.Hash().Size(); len(digest) != n {
		return invalidf("a %s digest is %d bytes, not %d", d, n, len(digest))
	}
	return nil
}

// MaxApprovals bounds a policy's approval count.
const MaxApprovals = 10

// SigningPolicy says who may ask a signing key for signatures, over which digests, and how
// many SEC_OPS approvals each request needs. It is stored in SigningKeyCreated as it is.
type SigningPolicy struct {
	// Teams may request (their DEVOPS and SEC_OPS members); empty means the key's team.
	Teams []string `json:"teams,omitempty"`
	// Principals may request by subject, whatever their team.
	Principals []string `json:"principals,omitempty"`
	// DigestAlgorithms are the digests accepted; empty means sha256, sha384 and sha512.
	DigestAlgorithms []DigestAlgorithm `json:"digest_algorithms,omitempty"`
	// Approvals is how many distinct SEC_OPS approvers (M) each request needs; 0 signs at once.
	Approvals int `json:"approvals"`
	// Approvers, when set, are the N subjects the M approvals must come from.
	Approvers []string `json:"approvers,omitempty"`
	// Windows, when set, are the times (UTC) the key signs in, such as "mon-fri 08:00-18:00": a
	// request or an approval at any other time is refused. Empty means at any time.
	Windows []string `json:"windows,omitempty"`
}

// normalized returns the policy with its defaults filled in and lists its problems.
func (p SigningPolicy) normalized(team string) (SigningPolicy, []Violation) {
	var vs []Violation
	if len(p.Teams) == 0 && len(p.Principals) == 0 {
		p.Teams = []string{team}
	}
	if len(p.DigestAlgorithms) == 0 {
		p.DigestAlgorithms = []DigestAlgorithm{DigestSHA256, DigestSHA384, DigestSHA512}
	}
	algs := make([]DigestAlgorithm, 0, len(p.DigestAlgorithms))
	for _, a := range p.DigestAlgorithms {
		parsed, err := ParseDigestAlgorithm(string(a))
		if err != nil {
			vs = append(vs, violation("policy.digest_algorithms", "digest_algorithm", "%v", err))
			continue
		}
		algs = append(algs, parsed)
	}
	p.DigestAlgorithms = algs
	switch {
	case p.Approvals < 0 || p.Approvals > MaxApprovals:
		vs = append(vs, violation("policy.approvals", "range", "approvals %d is not between 0 and %d", p.Approvals, MaxApprovals))
	case len(p.Approvers) > 0 && p.Approvals > len(p.Approvers):
		vs = append(vs, violation("policy.approvals", "more_than_approvers",
			"%d approvals cannot come from %d approvers", p.Approvals, len(p.Approvers)))
	}
	if len(p.Windows) > MaxSigningWindows {
		vs = append(vs, violation("policy.windows", "too_many", "%d windows, more than %d", len(p.Windows), MaxSigningWindows))
	}
	p.Windows = slices.Clone(p.Windows)
	for i, w := range p.Windows {
		p.Windows[i] = strings.Join(strings.Fields(strings.ToLower(w)), " ")
		if _, err := parseSigningWindow(w); err != nil {
			vs = append(vs, violation("policy.windows", "window", "%v", err))
		}
	}
	return p, vs
}

// checkWindow is a KindPolicy error when the policy has windows and at is in none of them.
func (p SigningPolicy) checkWindow(keyID, action string, at time.Time) error {
	for _, text := range p.Windows {
		if w, err := parseSigningWindow(text); err == nil && w.contains(at) {
			return nil
		}
	}
	if len(p.Windows) == 0 {
		return nil
	}
	return violations(KindPolicy, "outside the signing windows", []Violation{violation("time", "outside_window",
		"cannot %s now: signing key %s signs only in %s (UTC), and it is %s", action, keyID,
		strings.Join(p.Windows, ", "), at.UTC().Format("Mon 15:04"))})
}

// allowsRequester says whether a may ask for signatures under the policy.
func (p SigningPolicy) allowsRequester(a Actor) bool {
	if slices.Contains(p.Principals, a.Subject) {
		return true
	}
	return a.Team != "" && slices.Contains(p.Teams, a.Team) && (a.Has(RoleDevOps) || a.Has(RoleSecOps))
}

// allowsApprover says whether a may approve under the policy: SEC_OPS and, when the policy
// names its approvers, one of them.
func (p SigningPolicy) allowsApprover(a Actor) bool {
	return a.Has(RoleSecOps) && (len(p.Approvers) == 0 || slices.Contains(p.Approvers, a.Subject))
}
