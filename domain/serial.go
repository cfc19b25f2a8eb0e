package domain

import (
	"crypto"
	"crypto/sha1"
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"io"
	"math/big"
	"time"
)

// Backdate is how far before the issuing time a certificate's validity starts, to tolerate
// clocks that run a little behind.
const Backdate = time.Minute

// SerialBytes is the length of a serial made by NewSerial: 128 random bits.
const SerialBytes = 16

// NewSerial reads a 128-bit random serial number from r, normally crypto/rand.Reader.
func NewSerial(r io.Reader) (*big.Int, error) {
	var b [SerialBytes]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return nil, fmt.Errorf("read random serial: %w", err)
	}
	s := new(big.Int).SetBytes(b[:])
	if s.Sign() == 0 {
		return nil, fmt.Errorf("read random serial: the random source returned only zeros")
	}
	return s, nil
}

// CheckSerial requires a positive serial that encodes in at most 20 octets (RFC 5280 4.1.2.2).
func CheckSerial(s *big.Int) error {
	switch {
	case s == nil || s.Sign() <= 0:
		return invalidf("serial number must be positive")
	case s.BitLen() > 159:
		return invalidf("serial number %x is longer than 20 octets", s)
	}
	return nil
}

// ValidityWindow returns the validity of a certificate issued at the given time for the given
// number of days: from Backdate before at to days after at, in UTC whole seconds.
func ValidityWindow(at time.Time, days int) (notBefore, notAfter time.Time) {
	notBefore = at.Add(-Backdate).UTC().Truncate(time.Second)
	notAfter = at.Add(time.Duration(days) * 24 * time.Hour).UTC().Truncate(time.Second)
	return notBefore, notAfter
}

// SubjectKeyID computes the key identifier of pub by RFC 5280 method 1: the SHA-1 hash of the
// subjectPublicKey BIT STRING, without tag, length and unused-bits count.
func SubjectKeyID(pub crypto.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, invalidf("public key cannot be encoded: %v", err)
	}
	var spki struct {
		Algorithm asn1.RawValue
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(der, &spki); err != nil {
		return nil, invalidf("public key cannot be decoded: %v", err)
	}
	sum := sha1.Sum(spki.PublicKey.Bytes)
	return sum[:], nil
}
