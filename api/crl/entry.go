package crl

import (
	"errors"
	"fmt"
	"math/big"
	"time"
)

// Entry is one revoked certificate as a CRL lists it.
type Entry struct {
	// Serial is the certificate's serial number; not negative, at most 20 octets.
	Serial *big.Int
	// RevokedAt is the revocation date; it is encoded to the second.
	RevokedAt time.Time
	// Reason is the RFC 5280 CRLReason code. 0 (unspecified) is written as no reasonCode
	// extension at all, as RFC 5280 §5.3.1 asks; 7 is unused and 8 (removeFromCRL) is refused.
	Reason int
	// InvalidityDate, when set, is when the key is known or suspected to have been compromised.
	InvalidityDate *time.Time
	// CACertificate marks the serial of a CA's certificate: it is listed in the complete and
	// delta CRLs, never in a partition, whose Issuing Distribution Point says
	// onlyContainsUserCerts.
	CACertificate bool
}

// Revocation is a new revocation reported by the Source, at its position in the read model.
type Revocation struct {
	// CAID is the issuing CA's id, as in Issuer.ID.
	CAID string
	Entry
	// Position orders revocations across CAs; RevokedSince returns those after a position.
	Position int64
}

// The RFC 5280 CRLReason codes that an entry may carry.
const (
	ReasonUnspecified          = 0
	ReasonKeyCompromise        = 1
	ReasonCACompromise         = 2
	ReasonAffiliationChanged   = 3
	ReasonSuperseded           = 4
	ReasonCessationOfOperation = 5
	ReasonCertificateHold      = 6
	ReasonPrivilegeWithdrawn   = 9
	ReasonAACompromise         = 10
)

// The fixed parts of the two entry extensions (RFC 5280 §5.3.1, §5.3.2): SEQUENCE, extnID,
// OCTET STRING header and, for the reason, the ENUMERATED header; the value follows.
var (
	invalidityDatePrefix = []byte{0x30, 0x18, 0x06, 0x03, 0x55, 0x1d, 0x18, 0x04, 0x11}
	reasonCodePrefix     = []byte{0x30, 0x0a, 0x06, 0x03, 0x55, 0x1d, 0x15, 0x04, 0x03, 0x0a, 0x01}
)

// maxSerialBits bounds serial numbers to the 20 octets of RFC 5280 §4.1.2.2.
const maxSerialBits = 160

// validate lists what makes an entry impossible to encode.
func (e Entry) validate() error {
	switch {
	case e.Serial == nil:
		return errors.New("no serial number")
	case e.Serial.Sign() < 0:
		return fmt.Errorf("negative serial number %s", e.Serial)
	case e.Serial.BitLen() > maxSerialBits:
		return fmt.Errorf("serial number %x is longer than 20 octets", e.Serial)
	case e.RevokedAt.IsZero():
		return fmt.Errorf("serial %x: no revocation date", e.Serial)
	case !encodable(e.RevokedAt) || (e.InvalidityDate != nil && !encodable(*e.InvalidityDate)):
		return fmt.Errorf("serial %x: date outside the years 1–9999", e.Serial)
	case e.Reason < 0 || e.Reason > ReasonAACompromise || e.Reason == 7 || e.Reason == 8:
		return fmt.Errorf("serial %x: reason code %d is not allowed in a CRL entry", e.Serial, e.Reason)
	case e.InvalidityDate != nil && e.InvalidityDate.IsZero():
		return fmt.Errorf("serial %x: zero invalidity date", e.Serial)
	}
	return nil
}

// encodeEntry returns the DER of an entry's RevokedCertificate SEQUENCE (RFC 5280 §5.1):
// userCertificate, revocationDate and, when there are any, crlEntryExtensions (invalidity date,
// then reason code, the order x509.CreateRevocationList writes them in). It is written by hand,
// in one allocation: every length is below 128, so every header is two octets.
func encodeEntry(e Entry) ([]byte, error) {
	if err := e.validate(); err != nil {
		return nil, fmt.Errorf("CRL entry: %w", err)
	}
	serial := e.Serial.Bytes()
	pad := len(serial) == 0 || serial[0]&0x80 != 0 // A positive INTEGER must not look negative.
	intLen := len(serial)
	if pad {
		intLen++
	}
	exts := 0
	if e.InvalidityDate != nil {
		exts += len(invalidityDatePrefix) + generalizedTimeLen
	}
	if e.Reason != ReasonUnspecified {
		exts += len(reasonCodePrefix) + 1
	}
	body := 2 + intLen + timeLen(e.RevokedAt)
	if exts > 0 {
		body += 2 + exts
	}
	b := make([]byte, 0, 2+body)
	b = append(b, 0x30, byte(body), 0x02, byte(intLen))
	if pad {
		b = append(b, 0)
	}
	b = appendTime(append(b, serial...), e.RevokedAt)
	if exts > 0 {
		b = append(b, 0x30, byte(exts))
		if e.InvalidityDate != nil {
			b = appendGeneralizedTime(append(b, invalidityDatePrefix...), *e.InvalidityDate)
		}
		if e.Reason != ReasonUnspecified {
			b = append(append(b, reasonCodePrefix...), byte(e.Reason))
		}
	}
	return b, nil
}

// serialKey returns the serial number in an entry encoding as a sort key: the content of the
// INTEGER opening the RevokedCertificate SEQUENCE, without leading zero octets, as
// big.Int.Bytes would give it.
func serialKey(der []byte) []byte {
	i := 2 // SEQUENCE tag and a short length…
	if der[1] >= 0x80 {
		i += int(der[1] & 0x7f) // …or a long one.
	}
	n := int(der[i+1]) // INTEGER tag, short length: a serial has at most 21 octets.
	content := der[i+2 : i+2+n]
	for len(content) > 0 && content[0] == 0 {
		content = content[1:]
	}
	return content
}

// Lengths of encoded times, header included.
const (
	utcTimeLen         = 2 + 13 // YYMMDDhhmmssZ
	generalizedTimeLen = 2 + 15 // YYYYMMDDhhmmssZ
)

// encodable tells whether a time fits the four-digit year of GeneralizedTime.
func encodable(t time.Time) bool {
	y := t.UTC().Year()
	return y >= 1 && y <= 9999
}

// usesUTCTime tells whether an RFC 5280 Time is a UTCTime: for the years 1950–2049.
func usesUTCTime(t time.Time) bool {
	y := t.UTC().Year()
	return y >= 1950 && y < 2050
}

func timeLen(t time.Time) int {
	if usesUTCTime(t) {
		return utcTimeLen
	}
	return generalizedTimeLen
}

// appendTime appends an RFC 5280 Time, to the second: UTCTime for the years 1950–2049,
// GeneralizedTime otherwise.
func appendTime(b []byte, t time.Time) []byte {
	if !usesUTCTime(t) {
		return appendGeneralizedTime(b, t)
	}
	t = t.UTC()
	b = append(b, 0x17, utcTimeLen-2)
	return appendClock(append2(b, t.Year()%100), t)
}

// appendGeneralizedTime appends a GeneralizedTime in UTC, to the second.
func appendGeneralizedTime(b []byte, t time.Time) []byte {
	t = t.UTC()
	b = append(b, 0x18, generalizedTimeLen-2)
	return appendClock(append2(append2(b, t.Year()/100), t.Year()%100), t)
}

// appendClock appends MMDDhhmmssZ.
func appendClock(b []byte, t time.Time) []byte {
	b = append2(append2(b, int(t.Month())), t.Day())
	return append(append2(append2(append2(b, t.Hour()), t.Minute()), t.Second()), 'Z')
}

func append2(b []byte, v int) []byte { return append(b, byte('0'+v/10), byte('0'+v%10)) }
