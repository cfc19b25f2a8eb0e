package domain

import (
	"crypto/x509"
	"slices"
)

// keyUsages maps the names a profile may use to the key usages of an end-entity certificate.
// keyCertSign and cRLSign are reserved for CA certificates and cannot appear in a profile.
var keyUsages = map[string]x509.KeyUsage{
	"digitalSignature":  x509.KeyUsageDigitalSignature,
	"contentCommitment": x509.KeyUsageContentCommitment,
	"keyEncipherment":   x509.KeyUsageKeyEncipherment,
	"dataEncipherment":  x509.KeyUsageDataEncipherment,
	"keyAgreement":      x509.KeyUsageKeyAgreement,
}

// extKeyUsages maps the names a profile may use to extended key usages.
var extKeyUsages = map[string]x509.ExtKeyUsage{
	"serverAuth":      x509.ExtKeyUsageServerAuth,
	"clientAuth":      x509.ExtKeyUsageClientAuth,
	"codeSigning":     x509.ExtKeyUsageCodeSigning,
	"emailProtection": x509.ExtKeyUsageEmailProtection,
	"timeStamping":    x509.ExtKeyUsageTimeStamping,
	"ocspSigning":     x509.ExtKeyUsageOCSPSigning,
}

// KeyUsageNames returns the key usage names a profile may use, sorted.
func KeyUsageNames() []string { return sortedKeys(keyUsages) }

// ExtKeyUsageNames returns the extended key usage names a profile may use, sorted.
func ExtKeyUsageNames() []string { return sortedKeys(extKeyUsages) }

// leafKeyUsage returns the key usage bits named by names that suit a key of type k: RSA keys do
// not agree keys, and other keys do not encipher (RFC 5480, RFC 8410).
func leafKeyUsage(names []string, k KeyType) x509.KeyUsage {
	var ku x509.KeyUsage
	for _, n := range names {
		ku |= keyUsages[n]
	}
	if k.IsRSA() {
		return ku &^ x509.KeyUsageKeyAgreement
	}
	return ku &^ (x509.KeyUsageKeyEncipherment | x509.KeyUsageDataEncipherment)
}

// extKeyUsageList returns the extended key usages named by names.
func extKeyUsageList(names []string) []x509.ExtKeyUsage {
	out := make([]x509.ExtKeyUsage, 0, len(names))
	for _, n := range names {
		if eku, ok := extKeyUsages[n]; ok {
			out = append(out, eku)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
