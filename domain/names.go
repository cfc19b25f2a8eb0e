package domain

import (
	"strings"
)

// validHostname reports whether name is a lower-case DNS host name: dot-separated labels of
// letters, digits and inner hyphens, each 1–63 bytes, 253 bytes at most in all. Wildcards and
// internationalised names in Unicode form (use their xn-- form) are not host names.
func validHostname(name string) bool {
	if name == "" || len(name) > 253 {
		return false
	}
	for _, label := range strings.Split(name, ".") {
		if !validLabel(label) {
			return false
		}
	}
	return true
}

func validLabel(label string) bool {
	if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
		return false
	}
	for i := 0; i < len(label); i++ {
		c := label[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

// splitWildcard returns the base of a wildcard name "*.base" and true, or name and false for
// other names. Only a whole leftmost label "*" makes a wildcard.
func splitWildcard(name string) (string, bool) {
	if base, ok := strings.CutPrefix(name, "*."); ok {
		return base, true
	}
	return name, false
}

// domainAllowed reports whether name is one of the domains or a subdomain of one: "example.com"
// allows "example.com" and "a.b.example.com", but not "badexample.com".
func domainAllowed(name string, domains []string) bool {
	for _, d := range domains {
		if name == d || strings.HasSuffix(name, "."+d) {
			return true
		}
	}
	return false
}
