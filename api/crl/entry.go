package crl

import (
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Entry is one revoked certificate as a CRL lists it.
type Entry struct {
	// Serial is the certificate's serial number; positive, at most 20 octets.
	Serial *big.Int
	// RevokedAt is the revocation date; it is encoded to the second.
	RevokedAt time.Time
	// Reason is the RFC 5280 CRLReason code. 0 (unspecified) is written as no reasonCode
	// extension at all, as RFC 5280 §5.3.1 asks; 7 is unused and 8 (removeFromCRL) is refused.
	Reason int
	// InvalidityDate, when set, is when the key is known or suspected to have been compromised.
	InvalidityDate *time.Time
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

var (
	oidReasonCode     = asn1.ObjectIdentifier{2, 5, 29, 21}
	oidInvalidityDate = asn1.ObjectIdentifier{2, 5, 29, 24}
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
	case e.Reason < 0 || e.Reason > ReasonAACompromise || e.Reason == 7 || e.Reason == 8:
		return fmt.Errorf("serial %x: reason code %d is not allowed in a CRL entry", e.Serial, e.Reason)
	case e.InvalidityDate != nil && e.InvalidityDate.IsZero():
		return fmt.Errorf("serial %x: zero invalidity date", e.Serial)
	}
	return nil
}

// encodeEntry returns the DER of an entry's RevokedCertificate SEQUENCE (RFC 5280 §5.1):
// userCertificate, revocationDate and, when there are any, crlEntryExtensions.
func encodeEntry(e Entry) ([]byte, error) {
	if err := e.validate(); err != nil {
		return nil, fmt.Errorf("CRL entry: %w", err)
	}
	b := cryptobyte.NewBuilder(make([]byte, 0, 96))
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1BigInt(e.Serial)
		addTime(b, e.RevokedAt)
		if e.Reason == ReasonUnspecified && e.InvalidityDate == nil {
			return
		}
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			if e.Reason != ReasonUnspecified {
				addExtension(b, oidReasonCode, false, func(b *cryptobyte.Builder) { b.AddASN1Enum(int64(e.Reason)) })
			}
			if e.InvalidityDate != nil {
				addExtension(b, oidInvalidityDate, false, func(b *cryptobyte.Builder) {
					b.AddASN1GeneralizedTime(e.InvalidityDate.UTC().Truncate(time.Second))
				})
			}
		})
	})
	der, err := b.Bytes()
	if err != nil {
		return nil, fmt.Errorf("encode CRL entry for serial %x: %w", e.Serial, err)
	}
	return der, nil
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

// addTime writes an RFC 5280 Time: UTCTime for the years 1950–2049, GeneralizedTime otherwise.
func addTime(b *cryptobyte.Builder, t time.Time) {
	t = t.UTC().Truncate(time.Second)
	if y := t.Year(); y >= 1950 && y < 2050 {
		b.AddASN1UTCTime(t)
		return
	}
	b.AddASN1GeneralizedTime(t)
}

// addExtension writes an Extension: its id, the critical flag when set, and the value that
// value writes, wrapped in an OCTET STRING.
func addExtension(b *cryptobyte.Builder, id asn1.ObjectIdentifier, critical bool, value cryptobyte.BuilderContinuation) {
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(id)
		if critical {
			b.AddASN1Boolean(true)
		}
		b.AddASN1(cbasn1.OCTET_STRING, value)
	})
}
