package domain

import (
	"net/netip"
	"slices"
	"strings"
)

// MaxProfileValidityDays bounds a profile's MaxValidityDays.
const MaxProfileValidityDays = 3650

// ProfileSpec is what an administrator writes to define a certificate profile. It is stored in
// profile events as it is, so its JSON form is part of their schema.
type ProfileSpec struct {
	// Name identifies the profile; letters, digits, '.', '_' and '-', at most 64.
	Name string `json:"name"`
	// Team owns the profile; empty for a profile shared by every team.
	Team string `json:"team"`
	// AllowedDomains are the DNS domains names may be in; each allows itself and its subdomains.
	AllowedDomains []string `json:"allowed_domains"`
	// AllowWildcards allows names "*.base" whose base is allowed.
	AllowWildcards bool `json:"allow_wildcards"`
	// AllowIPs allows IP address SANs.
	AllowIPs bool `json:"allow_ips"`
	// AllowedIPNets, when set, are the networks IP SANs must be in (CIDR notation).
	AllowedIPNets []string `json:"allowed_ip_nets"`
	// AllowEmails allows email SANs whose domain is allowed.
	AllowEmails bool `json:"allow_emails"`
	// AllowURIs allows URI SANs whose host is allowed.
	AllowURIs bool `json:"allow_uris"`
	// AllowedURISchemes, when set, are the schemes URI SANs may use, for example "spiffe".
	AllowedURISchemes []string `json:"allowed_uri_schemes"`
	// KeyTypes are the key types a request's key may have.
	KeyTypes []KeyType `json:"key_types"`
	// MaxValidityDays is the longest validity a request may ask for.
	MaxValidityDays int `json:"max_validity_days"`
	// KeyUsages are the key usages of issued certificates, by name (see KeyUsageNames).
	KeyUsages []string `json:"key_usages"`
	// ExtKeyUsages are the extended key usages of issued certificates (see ExtKeyUsageNames).
	ExtKeyUsages []string `json:"ext_key_usages"`
	// RequireCNInSANs requires a non-empty common name to be one of the SANs.
	RequireCNInSANs bool `json:"require_cn_in_sans"`
	// RequiresApproval makes requests wait for a manual approval unless the requester may
	// approve automatically.
	RequiresApproval bool `json:"requires_approval"`
	// Renewal says when and how its certificates are renewed; nil is the defaults
	// (RenewalPolicy).
	Renewal *RenewalPolicy `json:"renewal,omitempty"`
}

// Profile is a validated certificate profile: the policy a request is checked against. The zero
// Profile is "not defined"; NewProfile and NewProfileFromHistory make defined ones.
type Profile struct {
	id      string
	spec    ProfileSpec
	ipNets  []netip.Prefix
	version int
}

// NewProfile validates spec and returns the profile it describes, without an id. Every problem
// with the spec is listed in a KindInvalid error.
func NewProfile(spec ProfileSpec) (Profile, error) {
	p, vs := buildProfile(spec)
	if err := violations(KindInvalid, "invalid profile "+spec.Name, vs); err != nil {
		return Profile{}, err
	}
	return p, nil
}

// buildProfile normalises spec and collects its problems. Entries it cannot parse are left
// out, so a profile built from a stored spec never allows more than the spec says.
func buildProfile(spec ProfileSpec) (Profile, []Violation) {
	var vs []Violation
	if !validProfileName(spec.Name) {
		vs = append(vs, violation("name", "name_syntax",
			"profile name %q must be 1 to 64 letters, digits, '.', '_' or '-'", spec.Name))
	}
	if len(spec.Team) > 64 {
		vs = append(vs, violation("team", "too_long", "team name is longer than 64 bytes"))
	}
	s := spec
	s.AllowedDomains, vs = normalizeDomains(spec.AllowedDomains, vs)
	nets, vs := parseNets(spec.AllowedIPNets, vs)
	if len(spec.AllowedIPNets) > 0 && !spec.AllowIPs {
		vs = append(vs, violation("allowed_ip_nets", "requires_allow_ips",
			"allowed IP networks are set but IP SANs are not allowed"))
	}
	s.AllowedURISchemes, vs = normalizeSchemes(spec.AllowedURISchemes, vs)
	if len(spec.AllowedURISchemes) > 0 && !spec.AllowURIs {
		vs = append(vs, violation("allowed_uri_schemes", "requires_allow_uris",
			"allowed URI schemes are set but URI SANs are not allowed"))
	}
	vs = append(vs, checkNames("key_types", "key type", keyTypeNames(spec.KeyTypes),
		func(n string) bool { return KeyType(n).Known() })...)
	vs = append(vs, checkNames("key_usages", "key usage", spec.KeyUsages,
		func(n string) bool { _, ok := keyUsages[n]; return ok })...)
	vs = append(vs, checkNames("ext_key_usages", "extended key usage", spec.ExtKeyUsages,
		func(n string) bool { _, ok := extKeyUsages[n]; return ok })...)
	if spec.MaxValidityDays < 1 || spec.MaxValidityDays > MaxProfileValidityDays {
		vs = append(vs, violation("max_validity_days", "range",
			"max validity of %d days is not between 1 and %d", spec.MaxValidityDays, MaxProfileValidityDays))
	}
	if spec.Renewal != nil {
		vs = append(vs, spec.Renewal.check()...)
		r := *spec.Renewal
		s.Renewal = &r
	}
	s.AllowedIPNets = slices.Clone(spec.AllowedIPNets)
	s.KeyTypes = slices.Clone(spec.KeyTypes)
	s.KeyUsages = slices.Clone(spec.KeyUsages)
	s.ExtKeyUsages = slices.Clone(spec.ExtKeyUsages)
	return Profile{spec: s, ipNets: nets}, vs
}

// normalizeDomains lower-cases the domains, drops trailing dots and duplicates, and leaves out
// (with a violation) what is not a host name.
func normalizeDomains(domains []string, vs []Violation) ([]string, []Violation) {
	var out []string
	for _, d := range domains {
		d = normalizeDNSName(strings.TrimSpace(d))
		switch {
		case !validHostname(d):
			vs = append(vs, violation("allowed_domains", "domain_syntax", "allowed domain %q is not a DNS host name", d))
		case !slices.Contains(out, d):
			out = append(out, d)
		}
	}
	return out, vs
}

// parseNets parses CIDR networks, leaving out (with a violation) what does not parse.
func parseNets(nets []string, vs []Violation) ([]netip.Prefix, []Violation) {
	var out []netip.Prefix
	for _, n := range nets {
		prefix, err := netip.ParsePrefix(strings.TrimSpace(n))
		if err != nil {
			vs = append(vs, violation("allowed_ip_nets", "ip_net_syntax", "allowed IP network %q is not in CIDR notation", n))
			continue
		}
		out = append(out, prefix.Masked())
	}
	return out, vs
}

// normalizeSchemes lower-cases URI schemes, leaving out (with a violation) invalid ones.
func normalizeSchemes(schemes []string, vs []Violation) ([]string, []Violation) {
	var out []string
	for _, scheme := range schemes {
		scheme = strings.ToLower(strings.TrimSpace(scheme))
		if !validScheme(scheme) {
			vs = append(vs, violation("allowed_uri_schemes", "scheme_syntax", "URI scheme %q is not valid", scheme))
			continue
		}
		out = append(out, scheme)
	}
	return out, vs
}

// checkNames requires a non-empty list of known names.
func checkNames(field, what string, names []string, known func(string) bool) []Violation {
	if len(names) == 0 {
		return []Violation{violation(field, "required", "at least one %s is required", what)}
	}
	var vs []Violation
	for _, n := range names {
		if !known(n) {
			vs = append(vs, violation(field, "unknown", "unknown %s %q", what, n))
		}
	}
	return vs
}

func keyTypeNames(ks []KeyType) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = string(k)
	}
	return out
}

func validProfileName(name string) bool {
	if name == "" || len(name) > 64 {
		return false
	}
	return strings.Trim(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == ""
}

func validScheme(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	return strings.Trim(s, "abcdefghijklmnopqrstuvwxyz0123456789+.-") == ""
}
