package domain

import (
	"net/url"

	"github.com/google/uuid"
)

// MaxCAValidityDays bounds a CA's validity.
const MaxCAValidityDays = 25 * 366

// CASpec describes a CA to create. The command layer builds the CA certificate from it with
// CATemplate, signs it in the HSM, and hands the result to CreateRoot or CreateIntermediate.
type CASpec struct {
	// ID is the CA's id, a UUID.
	ID string
	// Name is the CA's display name.
	Name string
	// CommonName is the subject common name of the CA certificate.
	CommonName string
	// KeyType is the type of the CA's signing key.
	KeyType KeyType
	// HSMKeyLabel is the label of the CA's key pair in the HSM.
	HSMKeyLabel string
	// PathLen is the number of CA certificates that may follow this one in a chain.
	PathLen int
	// ValidityDays is the CA certificate's validity.
	ValidityDays int
	// CRLURL and OCSPURL are put into the certificates the CA issues; http or https.
	CRLURL  string
	OCSPURL string
	// IssuerURL, if set, is the CA-issuers URL put into the certificates the CA issues.
	IssuerURL string
	// CRLPartitions, from 0 to MaxCRLPartitions, splits the CA's CRL into that many partitions,
	// a certificate's partition being its serial mod CRLPartitions; 0 or 1 means one CRL.
	CRLPartitions int
}

// Validate lists every problem of the spec in a KindInvalid error, or returns nil.
func (s CASpec) Validate() error {
	var vs []Violation
	if _, err := uuid.Parse(s.ID); err != nil {
		vs = append(vs, violation("id", "uuid", "CA id %q is not a UUID", s.ID))
	}
	if s.Name == "" || len(s.Name) > 128 {
		vs = append(vs, violation("name", "length", "CA name must have 1 to 128 bytes"))
	}
	if s.CommonName == "" || len(s.CommonName) > 64 {
		vs = append(vs, violation("common_name", "length", "CA common name must have 1 to 64 bytes"))
	}
	if !s.KeyType.Known() {
		vs = append(vs, violation("key_type", "unknown", "unknown key type %q: want one of %v", s.KeyType, KeyTypes()))
	}
	if s.HSMKeyLabel == "" || len(s.HSMKeyLabel) > 128 {
		vs = append(vs, violation("hsm_key_label", "length", "HSM key label must have 1 to 128 bytes"))
	}
	if s.PathLen < 0 || s.PathLen > 8 {
		vs = append(vs, violation("path_len", "range", "path length %d is not between 0 and 8", s.PathLen))
	}
	if s.ValidityDays < 1 || s.ValidityDays > MaxCAValidityDays {
		vs = append(vs, violation("validity_days", "range",
			"validity of %d days is not between 1 and %d", s.ValidityDays, MaxCAValidityDays))
	}
	if s.CRLPartitions < 0 || s.CRLPartitions > MaxCRLPartitions {
		vs = append(vs, violation("crl_partitions", "range", "CRL partitions %d is not between 0 and %d",
			s.CRLPartitions, MaxCRLPartitions))
	}
	for _, u := range []struct {
		field, value string
		required     bool
	}{{"crl_url", s.CRLURL, true}, {"ocsp_url", s.OCSPURL, true}, {"issuer_url", s.IssuerURL, false}} {
		if (u.value != "" || u.required) && !validHTTPURL(u.value) {
			vs = append(vs, violation(u.field, "http_url", "%s %q is not an absolute http or https URL", u.field, u.value))
		}
	}
	return violations(KindInvalid, "invalid CA spec", vs)
}

// validHTTPURL reports whether s is an absolute http or https URL with a host.
func validHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}
