package domain

import (
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"time"
)

// CATemplateInput is what CATemplate builds a CA certificate from.
type CATemplateInput struct {
	// Spec describes the CA.
	Spec CASpec
	// Serial is the certificate's serial number; see NewSerial.
	Serial *big.Int
	// PublicKey is the CA's public key, generated in the HSM.
	PublicKey crypto.PublicKey
	// Parent is the signing CA, or nil for a self-signed root.
	Parent *CA
	// At is the time of creation; the validity is ValidityWindow(At, Spec.ValidityDays).
	At time.Time
}

// CATemplate returns the template of a root (Parent nil) or intermediate CA certificate:
// CA=true with the spec's path length, keyCertSign, cRLSign and digitalSignature, and subject
// and authority key ids. An intermediate also gets its parent's CRL distribution point, OCSP
// URL and CA-issuers URL; its parent must be able to issue, allow its path length, and outlive
// it. A root's authority key id is its own subject key id.
func CATemplate(in CATemplateInput) (*x509.Certificate, error) {
	if err := in.Spec.Validate(); err != nil {
		return nil, err
	}
	if err := CheckSerial(in.Serial); err != nil {
		return nil, err
	}
	if kt := KeyTypeOf(in.PublicKey); kt != in.Spec.KeyType {
		return nil, invalidf("public key is %s, the spec says %s", kt, in.Spec.KeyType)
	}
	ski, err := SubjectKeyID(in.PublicKey)
	if err != nil {
		return nil, err
	}
	notBefore, notAfter := ValidityWindow(in.At, in.Spec.ValidityDays)
	tmpl := &x509.Certificate{
		SerialNumber:          new(big.Int).Set(in.Serial),
		Subject:               pkix.Name{CommonName: in.Spec.CommonName},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLen:            in.Spec.PathLen,
		MaxPathLenZero:        in.Spec.PathLen == 0,
		SubjectKeyId:          ski,
		AuthorityKeyId:        ski,
	}
	if in.Parent == nil {
		return tmpl, nil
	}
	if err := in.Parent.CheckCanIssue(in.At); err != nil {
		return nil, err
	}
	if err := checkPathLen(in.Spec.PathLen, in.Parent.PathLen()); err != nil {
		return nil, err
	}
	if notAfter.After(in.Parent.NotAfter()) {
		return nil, violations(KindPolicy, "intermediate CA refused", []Violation{violation("validity_days", "outlives_parent",
			"certificate would end %s, after its parent's %s", notAfter.Format(time.RFC3339), in.Parent.NotAfter().Format(time.RFC3339))})
	}
	tmpl.AuthorityKeyId = in.Parent.Certificate().SubjectKeyId
	setDistributionPoints(tmpl, in.Parent)
	return tmpl, nil
}
