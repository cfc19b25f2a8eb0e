package domain

import (
	"net/netip"
	"slices"
	"strings"
)

// Check lists every way a request with csr and the requested validity breaks the profile, or
// returns nil when it breaks none. Fields are named after the request's parts: "key_type",
// "validity_days", "subject_alt_names", "dns_names", "ip_addresses", "email_addresses", "uris"
// and "common_name".
func (p Profile) Check(csr *CSR, validityDays int) []Violation {
	var vs []Violation
	if !slices.Contains(p.spec.KeyTypes, csr.KeyType()) {
		vs = append(vs, violation("key_type", "key_type_not_allowed",
			"key type %s is not allowed; allowed are %v", csr.KeyType(), p.spec.KeyTypes))
	} else if leafKeyUsage(p.spec.KeyUsages, csr.KeyType()) == 0 {
		vs = append(vs, violation("key_type", "key_usage_unsuitable",
			"none of the key usages %v suits a %s key", p.spec.KeyUsages, csr.KeyType()))
	}
	switch {
	case validityDays < 1:
		vs = append(vs, violation("validity_days", "validity_not_positive", "validity of %d days is not positive", validityDays))
	case validityDays > p.spec.MaxValidityDays:
		vs = append(vs, violation("validity_days", "validity_too_long",
			"validity of %d days exceeds the maximum of %d", validityDays, p.spec.MaxValidityDays))
	}
	if csr.SANCount() == 0 {
		vs = append(vs, violation("subject_alt_names", "sans_required", "the request has no subject alternative names"))
	}
	for _, name := range csr.dnsNames {
		vs = append(vs, p.checkDNSName(name)...)
	}
	for _, ip := range csr.ips {
		vs = append(vs, p.checkIP(ip.String())...)
	}
	for _, email := range csr.emails {
		vs = append(vs, p.checkEmail(email)...)
	}
	for _, u := range csr.uris {
		vs = append(vs, p.checkURI(u.Scheme, u.Hostname(), u.String())...)
	}
	if cn := csr.CommonName(); p.spec.RequireCNInSANs && cn != "" && !cnInSANs(cn, csr) {
		vs = append(vs, violation("common_name", "cn_not_in_sans", "common name %q is not one of the subject alternative names", cn))
	}
	return vs
}

func (p Profile) checkDNSName(name string) []Violation {
	base, wildcard := splitWildcard(name)
	if !validHostname(base) {
		return []Violation{violation("dns_names", "dns_syntax", "DNS name %q is not a valid host name or wildcard", name)}
	}
	var vs []Violation
	if wildcard && !p.spec.AllowWildcards {
		vs = append(vs, violation("dns_names", "wildcard_not_allowed", "wildcard name %q is not allowed", name))
	}
	if !domainAllowed(base, p.spec.AllowedDomains) {
		vs = append(vs, violation("dns_names", "domain_not_allowed",
			"DNS name %q is not in an allowed domain %v", name, p.spec.AllowedDomains))
	}
	return vs
}

func (p Profile) checkIP(s string) []Violation {
	if !p.spec.AllowIPs {
		return []Violation{violation("ip_addresses", "ip_not_allowed", "IP address %s is not allowed", s)}
	}
	if len(p.ipNets) == 0 {
		return nil
	}
	addr, err := netip.ParseAddr(s)
	if err == nil {
		addr = addr.Unmap()
		for _, n := range p.ipNets {
			if n.Contains(addr) {
				return nil
			}
		}
	}
	return []Violation{violation("ip_addresses", "ip_not_in_allowed_nets",
		"IP address %s is not in an allowed network %v", s, p.spec.AllowedIPNets)}
}

func (p Profile) checkEmail(email string) []Violation {
	if !p.spec.AllowEmails {
		return []Violation{violation("email_addresses", "email_not_allowed", "email address %q is not allowed", email)}
	}
	at := strings.LastIndexByte(email, '@')
	domain := normalizeDNSName(email[at+1:])
	if at < 1 || !validHostname(domain) {
		return []Violation{violation("email_addresses", "email_syntax", "email address %q is not of the form local@domain", email)}
	}
	if !domainAllowed(domain, p.spec.AllowedDomains) {
		return []Violation{violation("email_addresses", "domain_not_allowed",
			"email address %q is not in an allowed domain %v", email, p.spec.AllowedDomains)}
	}
	return nil
}

func (p Profile) checkURI(scheme, host, raw string) []Violation {
	if !p.spec.AllowURIs {
		return []Violation{violation("uris", "uri_not_allowed", "URI %q is not allowed", raw)}
	}
	var vs []Violation
	if len(p.spec.AllowedURISchemes) > 0 && !slices.Contains(p.spec.AllowedURISchemes, strings.ToLower(scheme)) {
		vs = append(vs, violation("uris", "uri_scheme_not_allowed",
			"URI %q has scheme %q; allowed are %v", raw, scheme, p.spec.AllowedURISchemes))
	}
	if h := normalizeDNSName(host); !validHostname(h) || !domainAllowed(h, p.spec.AllowedDomains) {
		vs = append(vs, violation("uris", "domain_not_allowed",
			"URI %q has host %q, not in an allowed domain %v", raw, host, p.spec.AllowedDomains))
	}
	return vs
}

// cnInSANs reports whether cn equals a DNS name (ignoring case), an IP address or an email
// address of csr.
func cnInSANs(cn string, csr *CSR) bool {
	if slices.Contains(csr.dnsNames, normalizeDNSName(cn)) || slices.Contains(csr.emails, cn) {
		return true
	}
	for _, ip := range csr.ips {
		if ip.String() == cn {
			return true
		}
	}
	return false
}
