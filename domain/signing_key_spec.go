package domain

import (
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"time"

	"github.com/google/uuid"
)

// KeyUsageKind is what a signing key signs: code (EKU codeSigning) or timestamps (EKU
// timeStamping, critical, as RFC 3161 requires of a TSA certificate).
type KeyUsageKind string

// The usages of a signing key.
const (
	UsageCode      KeyUsageKind = "code"
	UsageTimestamp KeyUsageKind = "timestamp"
)

// MaxSigningKeyValidityDays bounds a signing key certificate's validity.
const MaxSigningKeyValidityDays = 3 * 366

// SigningKeyTypes are the key types a signing key may have.
var SigningKeyTypes = []KeyType{KeyECDSAP256, KeyECDSAP384, KeyRSA3072}

// SigningKeySpec describes a signing key to create. The command layer generates the key in
// the HSM under HSMKeyLabel, then the CA signs the certificate PrepareCreate returns.
type SigningKeySpec struct {
	ID, Name, Team string
	Usage          KeyUsageKind
	KeyType        KeyType
	HSMKeyLabel    string
	// CommonName is the subject of the key's certificate.
	CommonName   string
	ValidityDays int
	Policy       SigningPolicy
}

// Validate lists every problem of the spec in a KindInvalid error and returns the spec with
// its policy's defaults filled in.
func (s SigningKeySpec) Validate() (SigningKeySpec, error) {
	var vs []Violation
	if _, err := uuid.Parse(s.ID); err != nil {
		vs = append(vs, violation("id", "uuid", "signing key id %q is not a UUID", s.ID))
	}
	if s.Name == "" || len(s.Name) > 128 {
		vs = append(vs, violation("name", "length", "signing key name must have 1 to 128 bytes"))
	}
	if s.Team == "" || len(s.Team) > 64 {
		vs = append(vs, violation("team", "length", "signing key team must have 1 to 64 bytes"))
	}
	if s.Usage != UsageCode && s.Usage != UsageTimestamp {
		vs = append(vs, violation("usage", "unknown", "usage %q is neither %q nor %q", s.Usage, UsageCode, UsageTimestamp))
	}
	if !containsKeyType(SigningKeyTypes, s.KeyType) {
		vs = append(vs, violation("key_type", "unsupported", "key type %q: want one of %v", s.KeyType, SigningKeyTypes))
	}
	if s.HSMKeyLabel == "" || len(s.HSMKeyLabel) > 128 {
		vs = append(vs, violation("hsm_key_label", "length", "HSM key label must have 1 to 128 bytes"))
	}
	if s.CommonName == "" || len(s.CommonName) > 64 {
		vs = append(vs, violation("common_name", "length", "common name must have 1 to 64 bytes"))
	}
	if s.ValidityDays < 1 || s.ValidityDays > MaxSigningKeyValidityDays {
		vs = append(vs, violation("validity_days", "range", "validity of %d days is not between 1 and %d",
			s.ValidityDays, MaxSigningKeyValidityDays))
	}
	var pvs []Violation
	s.Policy, pvs = s.Policy.normalized(s.Team)
	return s, violations(KindInvalid, "invalid signing key", append(vs, pvs...))
}

func containsKeyType(list []KeyType, k KeyType) bool {
	for _, l := range list {
		if l == k {
			return true
		}
	}
	return false
}

// signingKeyTemplate is the certificate of a signing key: the spec's common name,
// digitalSignature, EKU codeSigning (or timeStamping, critical, for a TSA key), CA=false, key
// ids and the issuer's CRL, OCSP and CA-issuers URLs, no longer than the issuer's certificate.
func signingKeyTemplate(s SigningKeySpec, issuer *CA, pub crypto.PublicKey, serial *big.Int, at time.Time) (*x509.Certificate, error) {
	if err := CheckSerial(serial); err != nil {
		return nil, err
	}
	notBefore, notAfter := ValidityWindow(at, s.ValidityDays)
	if notAfter.After(issuer.NotAfter()) {
		return nil, violations(KindPolicy, "signing key certificate refused", []Violation{violation("validity_days",
			"outlives_issuer", "certificate would end at %s, after its CA's certificate at %s",
			notAfter.Format(time.RFC3339), issuer.NotAfter().Format(time.RFC3339))})
	}
	ski, err := SubjectKeyID(pub)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: new(big.Int).Set(serial), Subject: pkix.Name{CommonName: s.CommonName},
		NotBefore: notBefore, NotAfter: notAfter, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning},
		BasicConstraintsValid: true, SubjectKeyId: ski, AuthorityKeyId: issuer.Certificate().SubjectKeyId,
	}
	if s.Usage == UsageTimestamp {
		if err := criticalTimeStamping(tmpl); err != nil {
			return nil, err
		}
	}
	setDistributionPoints(tmpl, issuer)
	return tmpl, nil
}

// oidExtKeyUsage is id-ce-extKeyUsage; oidTimeStamping id-kp-timeStamping.
var (
	oidExtKeyUsage  = asn1.ObjectIdentifier{2, 5, 29, 37}
	oidTimeStamping = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 8}
)

// criticalTimeStamping makes the EKU extension timeStamping alone and critical (RFC 3161 2.3).
func criticalTimeStamping(tmpl *x509.Certificate) error {
	value, err := asn1.Marshal([]asn1.ObjectIdentifier{oidTimeStamping})
	if err != nil {
		return invalidf("encode the timeStamping extended key usage: %v", err)
	}
	tmpl.ExtKeyUsage = nil
	tmpl.ExtraExtensions = append(tmpl.ExtraExtensions, pkix.Extension{Id: oidExtKeyUsage, Critical: true, Value: value})
	return nil
}
