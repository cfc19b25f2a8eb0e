package domain

import (
	"bytes"
	"crypto/x509"
	"math/big"
	"slices"
	"time"
)

// PrepareIssue runs every check of an issuance before anything is signed and returns the
// complete certificate to sign with the SigningStarted intent that announces it. The request
// must be approved, the CA the requested one and able to issue at that time, and no other
// signature may be under way on the certificate.
func (c *Certificate) PrepareIssue(profile *Profile, issuer *CA, serial *big.Int, at time.Time) (Prepared, error) {
	if err := c.checkIssuer(issuer, at); err != nil {
		return Prepared{}, err
	}
	csr, err := c.CSR()
	if err != nil {
		return Prepared{}, err
	}
	notBefore, notAfter := ValidityWindow(at, c.req.ValidityDays)
	tmpl, err := IssuanceTemplate(IssuanceInput{Serial: serial, CSR: csr, Profile: profile, Issuer: issuer,
		NotBefore: notBefore, NotAfter: notAfter})
	if err != nil {
		return Prepared{}, err
	}
	p := Prepared{Template: tmpl, Parent: issuer.Certificate(), PublicKey: csr.PublicKey(), SignerLabel: issuer.HSMKeyLabel()}
	return c.signing.announce(p, SigningStarted{Subject: c.req.CertificateID, CAID: issuer.ID(),
		Serial: serial.Text(16), Purpose: PurposeCertificate}, at)
}

// checkIssuer checks that the certificate may be issued now by issuer.
func (c *Certificate) checkIssuer(issuer *CA, at time.Time) error {
	if err := c.checkTransition(TypeCertificateIssued, "issue"); err != nil {
		return err
	}
	if issuer == nil || !issuer.Exists() {
		return notFoundf("issuing CA does not exist")
	}
	if issuer.ID() != c.req.CAID {
		return invalidf("certificate %s was requested from CA %s, not %s", c.req.CertificateID, c.req.CAID, issuer.ID())
	}
	return issuer.CheckCanIssue(at)
}

// Issue decides the issuance of an approved request with certDER, the certificate issuer
// signed after PrepareIssue announced its serial. The certificate must be signed by the requested CA, which must be able to issue at
// that time, carry the request's key, names and no more than the requested validity, and end
// no later than the CA's certificate. A certificate that does not match is a KindInvalid error
// listing every difference.
func (c *Certificate) Issue(certDER []byte, issuer *CA, at time.Time) ([]Event, error) {
	if err := c.checkIssuer(issuer, at); err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(certDER)
	if err != nil {
		return nil, invalidf("issued certificate cannot be parsed: %v", err)
	}
	if err := c.signing.check(cert.SerialNumber.Text(16)); err != nil {
		return nil, err
	}
	csr, err := c.CSR()
	if err != nil {
		return nil, err
	}
	if err := violations(KindInvalid, "issued certificate does not match its request", c.mismatches(cert, csr, issuer)); err != nil {
		return nil, err
	}
	return []Event{CertificateIssued{
		CertificateID: c.req.CertificateID, CAID: issuer.ID(), Serial: cert.SerialNumber.Text(16),
		CertificateDER: cert.Raw, NotBefore: cert.NotBefore.UTC(), NotAfter: cert.NotAfter.UTC(), IssuedAt: at.UTC(),
	}}, nil
}

// mismatches lists every way cert differs from what was requested and approved.
func (c *Certificate) mismatches(cert *x509.Certificate, csr *CSR, issuer *CA) []Violation {
	var vs []Violation
	add := func(rule, format string, args ...any) {
		vs = append(vs, violation("certificate", rule, format, args...))
	}
	ca := issuer.Certificate()
	if cert.CheckSignatureFrom(ca) != nil || !bytes.Equal(cert.RawIssuer, ca.RawSubject) {
		add("issuer", "certificate is not signed by CA %s", issuer.ID())
	}
	if cert.SerialNumber.Sign() <= 0 {
		add("serial", "serial number is not positive")
	}
	if cert.IsCA {
		add("not_ca", "certificate is a CA certificate")
	}
	if !bytes.Equal(cert.RawSubjectPublicKeyInfo, csr.spki) {
		add("public_key", "certificate's public key is not the request's")
	}
	if cert.Subject.CommonName != c.req.CommonName {
		add("common_name", "common name %q is not the requested %q", cert.Subject.CommonName, c.req.CommonName)
	}
	sans := [][2][]string{
		{cert.DNSNames, c.req.DNSNames},
		{ipStrings(cert), c.req.IPAddresses},
		{cert.EmailAddresses, c.req.EmailAddresses},
		{uriStrings(cert), c.req.URIs},
	}
	for _, s := range sans {
		if !SameNames(s[0], s[1]) {
			add("subject_alt_names", "names %v are not the requested %v", s[0], s[1])
		}
	}
	if maxLife := time.Duration(c.req.ValidityDays)*24*time.Hour + Backdate; cert.NotAfter.Sub(cert.NotBefore) > maxLife {
		add("validity", "validity from %s to %s is longer than the requested %d days",
			cert.NotBefore.Format(time.RFC3339), cert.NotAfter.Format(time.RFC3339), c.req.ValidityDays)
	}
	if cert.NotAfter.After(issuer.NotAfter()) {
		add("validity", "certificate ends after its CA's certificate")
	}
	return vs
}

// SameNames reports whether a and b hold the same names, whatever their order and repeats.
func SameNames(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

func ipStrings(cert *x509.Certificate) []string {
	out := make([]string, len(cert.IPAddresses))
	for i, ip := range cert.IPAddresses {
		out[i] = ip.String()
	}
	return out
}

func uriStrings(cert *x509.Certificate) []string {
	out := make([]string, len(cert.URIs))
	for i, u := range cert.URIs {
		out[i] = u.String()
	}
	return out
}
