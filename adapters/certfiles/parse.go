package certfiles

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"

	"github.com/smallstep/pkcs7"
)

// Format is the kind of file certificates were found in.
type Format string

// The formats Parse reads.
const (
	PEM    Format = "pem"
	DER    Format = "der"
	PKCS7  Format = "pkcs7"
	PKCS12 Format = "pkcs12"
	JKS    Format = "jks"
)

// ErrNotCertificates says a file is in none of the formats Parse reads.
var ErrNotCertificates = errors.New("not a certificate file")

// ErrWrongPassword says a protected store opened with none of the configured passwords.
var ErrWrongPassword = errors.New("none of the configured passwords opens it")

// jksMagic starts every Java KeyStore.
var jksMagic = []byte{0xfe, 0xed, 0xfe, 0xed}

// Parse reads the certificates in one file's contents, trying passwords (and the empty
// password) on protected stores. Contents in no known format are ErrNotCertificates.
func Parse(data []byte, passwords []string) (Format, []*x509.Certificate, error) {
	switch {
	case bytes.HasPrefix(data, jksMagic):
		certs, err := parseJKS(data, passwords)
		return JKS, certs, err
	case bytes.Contains(data, []byte("-----BEGIN ")):
		certs, err := parsePEM(data)
		return PEM, certs, err
	case len(data) > 0 && data[0] == 0x30: // an ASN.1 SEQUENCE: a certificate, PKCS#7 or PKCS#12
		return parseDER(data, passwords)
	}
	return "", nil, ErrNotCertificates
}

// parsePEM reads every CERTIFICATE and PKCS7 block; other blocks (keys, CSRs) are ignored.
func parsePEM(data []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for rest := data; ; {
		var block *pem.Block
		if block, rest = pem.Decode(rest); block == nil {
			break
		}
		switch block.Type {
		case "CERTIFICATE":
			c, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("PEM certificate %d: %w", len(certs)+1, err)
			}
			certs = append(certs, c)
		case "PKCS7", "CERTIFICATE CHAIN":
			p7, err := pkcs7.Parse(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("PEM PKCS#7 bundle: %w", err)
			}
			certs = append(certs, p7.Certificates...)
		}
	}
	if len(certs) == 0 {
		return nil, ErrNotCertificates
	}
	return certs, nil
}

// parseDER reads a DER certificate, a PKCS#7 bundle or a PKCS#12 file.
func parseDER(data []byte, passwords []string) (Format, []*x509.Certificate, error) {
	if c, err := x509.ParseCertificate(data); err == nil {
		return DER, []*x509.Certificate{c}, nil
	}
	if p7, err := pkcs7.Parse(data); err == nil {
		return PKCS7, p7.Certificates, nil
	}
	if !looksLikePFX(data) {
		return "", nil, ErrNotCertificates
	}
	certs, err := parsePKCS12(data, passwords)
	return PKCS12, certs, err
}
