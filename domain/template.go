package domain

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"time"
)

// IssuanceInput is what IssuanceTemplate builds an end-entity certificate from.
type IssuanceInput struct {
	// Serial is the certificate's serial number; see NewSerial.
	Serial *big.Int
	// CSR is the approved request.
	CSR *CSR
	// Profile gives the key usages and bounds the validity.
	Profile *Profile
	// Issuer is the CA that signs; its CRL, OCSP and issuer URLs go into the certificate.
	Issuer *CA
	// NotBefore and NotAfter bound the validity; see ValidityWindow.
	NotBefore time.Time
	NotAfter  time.Time
}

// IssuanceTemplate returns the template of an end-entity certificate: the CSR's common name
// (only: other subject attributes of a CSR are not vetted) and SANs, the profile's key usages
// suited to the key type, CA=false, subject and authority key ids, the issuer's CRL
// distribution point (its partition's, see CRLPartitionURL), OCSP URL and, when set, CA-issuers URL. The validity may not exceed the
// profile's maximum (plus Backdate) nor end after the issuer's certificate.
func IssuanceTemplate(in IssuanceInput) (*x509.Certificate, error) {
	switch {
	case in.CSR == nil:
		return nil, invalidf("issuance needs a CSR")
	case in.Profile == nil || !in.Profile.Defined():
		return nil, notFoundf("issuance needs a defined profile")
	case in.Issuer == nil || !in.Issuer.Exists():
		return nil, notFoundf("issuance needs an existing CA")
	case !in.NotAfter.After(in.NotBefore):
		return nil, invalidf("validity ends at %s, not after it starts at %s",
			in.NotAfter.Format(time.RFC3339), in.NotBefore.Format(time.RFC3339))
	}
	if err := CheckSerial(in.Serial); err != nil {
		return nil, err
	}
	var vs []Violation
	if maxLife := time.Duration(in.Profile.MaxValidityDays())*24*time.Hour + Backdate; in.NotAfter.Sub(in.NotBefore) > maxLife {
		vs = append(vs, violation("validity_days", "validity_too_long",
			"validity exceeds the profile's maximum of %d days", in.Profile.MaxValidityDays()))
	}
	if in.NotAfter.After(in.Issuer.NotAfter()) {
		vs = append(vs, violation("validity_days", "outlives_issuer", "certificate would end at %s, after its CA's certificate at %s",
			in.NotAfter.Format(time.RFC3339), in.Issuer.NotAfter().Format(time.RFC3339)))
	}
	if err := violations(KindPolicy, "certificate cannot be issued", vs); err != nil {
		return nil, err
	}
	ski, err := SubjectKeyID(in.CSR.PublicKey())
	if err != nil {
		return nil, err
	}
	spec := in.Profile.Spec()
	tmpl := &x509.Certificate{
		SerialNumber:          new(big.Int).Set(in.Serial),
		Subject:               pkix.Name{CommonName: in.CSR.CommonName()},
		NotBefore:             in.NotBefore.UTC(),
		NotAfter:              in.NotAfter.UTC(),
		DNSNames:              in.CSR.DNSNames(),
		IPAddresses:           in.CSR.IPAddresses(),
		EmailAddresses:        in.CSR.EmailAddresses(),
		URIs:                  in.CSR.URIs(),
		KeyUsage:              leafKeyUsage(spec.KeyUsages, in.CSR.KeyType()),
		ExtKeyUsage:           extKeyUsageList(spec.ExtKeyUsages),
		BasicConstraintsValid: true,
		IsCA:                  false,
		SubjectKeyId:          ski,
		AuthorityKeyId:        in.Issuer.Certificate().SubjectKeyId,
	}
	setDistributionPoints(tmpl, in.Issuer)
	return tmpl, nil
}

// setDistributionPoints puts the issuer's CRL distribution point (the partition of tmpl's
// serial when the issuer's CRL is partitioned), OCSP URL and CA-issuers URL into tmpl.
func setDistributionPoints(tmpl *x509.Certificate, issuer *CA) {
	tmpl.CRLDistributionPoints = []string{crlDistributionPoint(issuer, tmpl.SerialNumber)}
	tmpl.OCSPServer = []string{issuer.OCSPURL()}
	if u := issuer.IssuerURL(); u != "" {
		tmpl.IssuingCertificateURL = []string{u}
	}
}
