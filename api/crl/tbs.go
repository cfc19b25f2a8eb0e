package crl

import (
	"encoding/asn1"
	"fmt"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// CRL extensions (RFC 5280 §5.2).
var (
	oidAuthorityKeyID = asn1.ObjectIdentifier{2, 5, 29, 35}
	oidCRLNumber      = asn1.ObjectIdentifier{2, 5, 29, 20}
	oidDeltaIndicator = asn1.ObjectIdentifier{2, 5, 29, 27}
	oidIssuingDP      = asn1.ObjectIdentifier{2, 5, 29, 28}
	oidFreshestCRL    = asn1.ObjectIdentifier{2, 5, 29, 46}
)

// tbsExtras are the extensions that only some CRLs carry.
type tbsExtras struct {
	deltaBase   *big.Int // Delta CRL Indicator, for delta CRLs
	idpURL      string   // Issuing Distribution Point, for partitions
	freshestURL string   // Freshest CRL, for complete CRLs and partitions
}

// Context-specific tags of the DistributionPointName and GeneralName choices.
var (
	tagDistributionPoint = cbasn1.Tag(0).Constructed().ContextSpecific() // [0] DistributionPointName
	tagFullName          = cbasn1.Tag(0).Constructed().ContextSpecific() // [0] GeneralNames
	tagURI               = cbasn1.Tag(6).ContextSpecific()               // [6] IA5String
	tagOnlyUserCerts     = cbasn1.Tag(1).ContextSpecific()               // [1] BOOLEAN
	tagCRLExtensions     = cbasn1.Tag(0).Constructed().ContextSpecific() // [0] EXPLICIT Extensions
)

// tbsParts encodes the TBSCertList fields before the revoked certificates (version, signature
// algorithm, issuer, thisUpdate, nextUpdate) and after them (crlExtensions), without the
// enclosing SEQUENCE header, which depends on the entries' total length.
func (k *signingKey) tbsParts(p Params, x tbsExtras) (prefix, suffix []byte, err error) {
	pb := cryptobyte.NewBuilder(make([]byte, 0, 64+len(k.algorithm)+len(k.issuer)))
	pb.AddASN1Int64(1) // v2
	pb.AddBytes(k.algorithm)
	pb.AddBytes(k.issuer)
	pb.AddBytes(appendTime(nil, p.ThisUpdate))
	pb.AddBytes(appendTime(nil, p.NextUpdate))
	if prefix, err = pb.Bytes(); err != nil {
		return nil, nil, fmt.Errorf("encode CRL header: %w", err)
	}

	sb := cryptobyte.NewBuilder(make([]byte, 0, 128+len(x.idpURL)+len(x.freshestURL)))
	sb.AddASN1(tagCRLExtensions, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			addExtension(b, oidAuthorityKeyID, false, func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.Tag(0).ContextSpecific(), func(b *cryptobyte.Builder) { b.AddBytes(k.keyID) })
				})
			})
			addExtension(b, oidCRLNumber, false, func(b *cryptobyte.Builder) { b.AddASN1BigInt(p.Number) })
			if x.deltaBase != nil {
				addExtension(b, oidDeltaIndicator, true, func(b *cryptobyte.Builder) { b.AddASN1BigInt(x.deltaBase) })
			}
			if x.idpURL != "" {
				addExtension(b, oidIssuingDP, true, func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
						addDistributionPointName(b, x.idpURL)
						b.AddASN1(tagOnlyUserCerts, func(b *cryptobyte.Builder) { b.AddUint8(0xff) })
					})
				})
			}
			if x.freshestURL != "" {
				addExtension(b, oidFreshestCRL, false, func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // CRLDistributionPoints
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // DistributionPoint
							addDistributionPointName(b, x.freshestURL)
						})
					})
				})
			}
		})
	})
	if suffix, err = sb.Bytes(); err != nil {
		return nil, nil, fmt.Errorf("encode CRL extensions: %w", err)
	}
	return prefix, suffix, nil
}

// addDistributionPointName writes distributionPoint [0] { fullName [0] { uniformResourceIdentifier
// [6] url } }.
func addDistributionPointName(b *cryptobyte.Builder, url string) {
	b.AddASN1(tagDistributionPoint, func(b *cryptobyte.Builder) {
		b.AddASN1(tagFullName, func(b *cryptobyte.Builder) {
			b.AddASN1(tagURI, func(b *cryptobyte.Builder) { b.AddBytes([]byte(url)) })
		})
	})
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
