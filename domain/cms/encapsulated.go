package cms

import (
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"math/big"
	"slices"
	"time"
)

// OIDTSTInfo is id-ct-TSTInfo, the content type of an RFC 3161 time-stamp token.
var OIDTSTInfo = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 1, 4}

// oidSigningCertificateV2 is id-aa-signingCertificateV2 (RFC 5035).
var oidSigningCertificateV2 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 47}

// NewEncapsulated fixes the signed attributes of a SignedData that carries content of type
// contentType inside it (an RFC 3161 TSTInfo): contentType, messageDigest (h over content),
// signingTime and the extra signed attributes. withCerts carries signer and chain; without
// it the SignedData has no certificates, as RFC 3161 asks when certReq is false.
func NewEncapsulated(contentType asn1.ObjectIdentifier, content []byte, h crypto.Hash, signer *x509.Certificate,
	chain []*x509.Certificate, withCerts bool, signingTime time.Time, extra ...Attribute) (*Detached, error) {
	if _, ok := digestOIDs[h]; !ok {
		return nil, fmt.Errorf("cms: digest %v is not accepted (SHA-256, SHA-384 or SHA-512)", h)
	}
	if len(content) == 0 {
		return nil, fmt.Errorf("cms: encapsulated content of type %v is empty", contentType)
	}
	d := h.New()
	d.Write(content)
	attrs := []attribute{{oidContentType, contentType}, {oidMessageDigest, d.Sum(nil)}, {oidSigningTime, signingTime.UTC()}}
	for _, a := range extra {
		attrs = append(attrs, attribute{a.Type, asn1.RawValue{FullBytes: a.Value}})
	}
	sd, err := newSigned(h, signer, chain, attrs)
	if err != nil {
		return nil, err
	}
	sd.eContentType, sd.eContent, sd.noCerts = contentType, slices.Clone(content), !withCerts
	return sd, nil
}

// SigningCertificateV2 is the ESS signingCertificateV2 attribute (RFC 5035) naming cert by
// its SHA-256 hash, issuer and serial: what RFC 3161 §2.4.2 requires of a token's signer,
// and what `openssl ts -verify` checks against the certificate that verifies it.
func SigningCertificateV2(cert *x509.Certificate) (Attribute, error) {
	hash := sha256.Sum256(cert.Raw)
	directoryName, err := asn1.Marshal(asn1.RawValue{Class: 2, Tag: 4, IsCompound: true, Bytes: cert.RawIssuer})
	if err != nil {
		return Attribute{}, fmt.Errorf("cms: encode the issuer of certificate %x: %w", cert.SerialNumber, err)
	}
	type issuerSerial struct {
		Issuer []asn1.RawValue // GeneralNames
		Serial *big.Int
	}
	type essCertIDv2 struct { // hashAlgorithm left out: it defaults to SHA-256
		CertHash     []byte
		IssuerSerial issuerSerial
	}
	value, err := asn1.Marshal(struct{ Certs []essCertIDv2 }{[]essCertIDv2{{hash[:],
		issuerSerial{[]asn1.RawValue{{FullBytes: directoryName}}, cert.SerialNumber}}}})
	if err != nil {
		return Attribute{}, fmt.Errorf("cms: encode signingCertificateV2 of certificate %x: %w", cert.SerialNumber, err)
	}
	return Attribute{Type: oidSigningCertificateV2, Value: value}, nil
}

// explicitOctets encodes content as eContent: [0] EXPLICIT OCTET STRING.
func explicitOctets(content []byte) ([]byte, error) {
	octets, err := asn1.Marshal(content)
	if err != nil {
		return nil, fmt.Errorf("cms: encode eContent: %w", err)
	}
	return wrap(2, 0, octets)
}
