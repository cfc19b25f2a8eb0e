package domain

import (
	"bytes"
	"crypto/x509"
	"time"
)

// CheckCanIssue returns nil when the CA exists, is not revoked and is valid at the given time;
// otherwise a KindNotFound or KindConflict error.
func (ca *CA) CheckCanIssue(at time.Time) error {
	switch {
	case !ca.Exists():
		return notFoundf("CA does not exist")
	case ca.status == CAStatusRevoked:
		return conflictf("CA %s was revoked at %s (%s)", ca.details.CAID, ca.revokedAt.Format(time.RFC3339), ca.reason)
	case at.Before(ca.cert.NotBefore):
		return conflictf("CA %s is not valid before %s", ca.details.CAID, ca.cert.NotBefore.Format(time.RFC3339))
	case at.After(ca.cert.NotAfter):
		return conflictf("CA %s expired at %s", ca.details.CAID, ca.cert.NotAfter.Format(time.RFC3339))
	}
	return nil
}

// CreateRoot decides the creation of a root CA from spec and its self-signed certificate,
// signed after PrepareCreate announced its serial.
func (ca *CA) CreateRoot(spec CASpec, certDER []byte, by Actor, at time.Time) ([]Event, error) {
	override, err := ca.checkCreate(spec, nil, by, at)
	if err != nil {
		return nil, err
	}
	cert, err := ca.checkSignedCACert(spec, certDER, at)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(cert.RawIssuer, cert.RawSubject) || cert.CheckSignatureFrom(cert) != nil {
		return nil, invalidf("root CA certificate is not self-signed")
	}
	return []Event{CARootCreated{CADetails: caDetails(spec, cert, at, override)}}, nil
}

// CreateIntermediate decides the creation of an intermediate CA from spec and its certificate
// signed by parent after PrepareCreate announced its serial. The parent must be able to issue
// at that time, its path length must allow a sub-CA, and the new certificate may not outlive
// the parent's.
func (ca *CA) CreateIntermediate(spec CASpec, parent *CA, certDER []byte, by Actor, at time.Time) ([]Event, error) {
	if parent == nil || !parent.Exists() {
		return nil, notFoundf("parent CA does not exist")
	}
	override, err := ca.checkCreate(spec, parent, by, at)
	if err != nil {
		return nil, err
	}
	cert, err := ca.checkSignedCACert(spec, certDER, at)
	if err != nil {
		return nil, err
	}
	if cert.CheckSignatureFrom(parent.cert) != nil || !bytes.Equal(cert.RawIssuer, parent.cert.RawSubject) {
		return nil, invalidf("intermediate CA certificate is not signed by parent CA %s", parent.ID())
	}
	if !bytes.Equal(cert.AuthorityKeyId, parent.cert.SubjectKeyId) {
		return nil, invalidf("intermediate CA certificate's authority key id is not the parent's subject key id")
	}
	if cert.NotAfter.After(parent.cert.NotAfter) {
		return nil, violations(KindPolicy, "intermediate CA refused", []Violation{violation("validity_days", "outlives_parent",
			"certificate ends %s, after its parent's %s", cert.NotAfter.Format(time.RFC3339), parent.cert.NotAfter.Format(time.RFC3339))})
	}
	return []Event{CAIntermediateCreated{CADetails: caDetails(spec, cert, at, override), ParentID: parent.ID()}}, nil
}

// checkCreate runs the checks of a CA's creation that need no certificate: who may create it,
// that it does not exist, its spec and, for an intermediate, its parent. It says whether only
// an override allowed it.
func (ca *CA) checkCreate(spec CASpec, parent *CA, by Actor, at time.Time) (override bool, err error) {
	action := "create root CA"
	if parent != nil {
		action = "create intermediate CA"
	}
	if override, err = authorizeAdministration(by, action); err != nil {
		return false, err
	}
	if ca.Exists() {
		return false, conflictf("CA %s already exists", ca.details.CAID)
	}
	if err := spec.Validate(); err != nil {
		return false, err
	}
	if parent == nil {
		return override, nil
	}
	if spec.ID == parent.ID() {
		return false, invalidf("a CA cannot be its own parent")
	}
	if err := parent.CheckCanIssue(at); err != nil {
		return false, err
	}
	return override, checkPathLen(spec.PathLen, parent.PathLen())
}

// checkSignedCACert checks a signed CA certificate against spec and its announced serial.
func (ca *CA) checkSignedCACert(spec CASpec, der []byte, at time.Time) (*x509.Certificate, error) {
	cert, err := checkCACert(spec, der, at)
	if err != nil {
		return nil, err
	}
	return cert, ca.signing.check(cert.SerialNumber.Text(16))
}

// Revoke decides the revocation of the CA. Revoking a revoked CA is a KindConflict error.
func (ca *CA) Revoke(reason RevocationReason, invalidityDate *time.Time, by Actor, at time.Time) ([]Event, error) {
	if !ca.Exists() {
		return nil, notFoundf("CA does not exist")
	}
	override, err := authorizeAdministration(by, "revoke CA")
	if err != nil {
		return nil, err
	}
	if ca.status == CAStatusRevoked {
		return nil, conflictf("CA %s was already revoked at %s (%s)", ca.details.CAID, ca.revokedAt.Format(time.RFC3339), ca.reason)
	}
	if err := checkRevocation(reason, invalidityDate, at); err != nil {
		return nil, err
	}
	return []Event{CARevoked{CAID: ca.details.CAID, ParentID: ca.parentID, Serial: ca.details.Serial, Reason: reason,
		InvalidityDate: utcPtr(invalidityDate), RevokedAt: at.UTC(), Override: override}}, nil
}

// checkPathLen requires the parent to allow a sub-CA with the child's path length.
func checkPathLen(child, parent int) error {
	if parent < 1 {
		return violations(KindPolicy, "intermediate CA refused", []Violation{violation("path_len", "parent_path_len_zero",
			"the parent CA's path length 0 allows no sub-CAs")})
	}
	if child > parent-1 {
		return violations(KindPolicy, "intermediate CA refused", []Violation{violation("path_len", "path_len_too_long",
			"path length %d exceeds %d, the most the parent's path length %d allows", child, parent-1, parent)})
	}
	return nil
}

// checkCACert parses a CA certificate and lists every way it differs from spec.
func checkCACert(spec CASpec, der []byte, at time.Time) (*x509.Certificate, error) {
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, invalidf("CA certificate cannot be parsed: %v", err)
	}
	var vs []Violation
	if !cert.BasicConstraintsValid || !cert.IsCA {
		vs = append(vs, violation("certificate", "not_ca", "certificate is not a CA certificate"))
	}
	if cert.Subject.CommonName != spec.CommonName {
		vs = append(vs, violation("certificate", "common_name",
			"certificate common name %q is not %q", cert.Subject.CommonName, spec.CommonName))
	}
	if kt := KeyTypeOf(cert.PublicKey); kt != spec.KeyType {
		vs = append(vs, violation("certificate", "key_type", "certificate key type %s is not %s", kt, spec.KeyType))
	}
	if cert.MaxPathLen != spec.PathLen || (spec.PathLen == 0 && !cert.MaxPathLenZero) {
		vs = append(vs, violation("certificate", "path_len", "certificate path length %d is not %d", cert.MaxPathLen, spec.PathLen))
	}
	if cert.KeyUsage&(x509.KeyUsageCertSign|x509.KeyUsageCRLSign) != x509.KeyUsageCertSign|x509.KeyUsageCRLSign {
		vs = append(vs, violation("certificate", "key_usage", "certificate lacks keyCertSign or cRLSign"))
	}
	if len(cert.SubjectKeyId) == 0 {
		vs = append(vs, violation("certificate", "subject_key_id", "certificate has no subject key identifier"))
	}
	if at.Before(cert.NotBefore) || at.After(cert.NotAfter) {
		vs = append(vs, violation("certificate", "validity", "certificate is not valid at %s", at.Format(time.RFC3339)))
	}
	if err := violations(KindInvalid, "CA certificate does not match its spec", vs); err != nil {
		return nil, err
	}
	return cert, nil
}

func caDetails(spec CASpec, cert *x509.Certificate, at time.Time, override bool) CADetails {
	return CADetails{CAID: spec.ID, Name: spec.Name, CommonName: spec.CommonName, KeyType: spec.KeyType,
		HSMKeyLabel: spec.HSMKeyLabel, PathLen: spec.PathLen, CRLURL: spec.CRLURL, OCSPURL: spec.OCSPURL,
		IssuerURL: spec.IssuerURL, CRLPartitions: spec.CRLPartitions, Serial: cert.SerialNumber.Text(16), CertificateDER: cert.Raw,
		NotBefore: cert.NotBefore.UTC(), NotAfter: cert.NotAfter.UTC(), CreatedAt: at.UTC(), Override: override}
}
