package cms

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"math/big"
	"slices"
	"time"
)

// Attribute is a CMS attribute with one value, DER encoded.
type Attribute struct {
	Type  asn1.ObjectIdentifier
	Value []byte
}

// Detached is a SignedData whose signed attributes are fixed and whose signature is to come.
type Detached struct {
	hash        crypto.Hash
	signer      *x509.Certificate
	chain       []*x509.Certificate
	attrsSet    []byte // the signed attributes as the SET OF that is signed
	attrsInside []byte // their content, for the [0] IMPLICIT field of SignerInfo
	sigAlg      algorithm
	// eContentType is the content's type; eContent the content itself, nil when detached.
	eContentType asn1.ObjectIdentifier
	eContent     []byte
	// rawContent carries eContent as itself (Authenticode), not in an OCTET STRING.
	rawContent bool
	// noCerts leaves the certificates out (a time-stamp token whose request did not ask).
	noCerts bool
}

// NewDetached fixes the signed attributes of a detached SignedData over an artifact with the
// given digest, signed by signer (whose key will sign) at signingTime; chain are the
// certificates above signer to carry, nearest first.
func NewDetached(digest []byte, h crypto.Hash, signer *x509.Certificate, chain []*x509.Certificate,
	signingTime time.Time) (*Detached, error) {
	if _, ok := digestOIDs[h]; !ok {
		return nil, fmt.Errorf("cms: digest %v is not accepted (SHA-256, SHA-384 or SHA-512)", h)
	}
	if len(digest) != h.Size() {
		return nil, fmt.Errorf("cms: a %v digest is %d bytes, not %d", h, h.Size(), len(digest))
	}
	return newSigned(h, signer, chain, []attribute{{oidContentType, oidData}, {oidMessageDigest, digest},
		{oidSigningTime, signingTime.UTC()}})
}

// attribute is a signed attribute to encode, with its one value.
type attribute struct {
	oid   asn1.ObjectIdentifier
	value any
}

// newSigned fixes the signed attributes of a SignedData, of id-data content and detached
// unless the caller sets eContentType and eContent.
func newSigned(h crypto.Hash, signer *x509.Certificate, chain []*x509.Certificate, signed []attribute) (*Detached, error) {
	sigAlg, err := signatureAlgorithm(signer.PublicKey, h)
	if err != nil {
		return nil, err
	}
	var attrs [][]byte
	for _, a := range signed {
		der, err := encodeAttribute(a.oid, a.value)
		if err != nil {
			return nil, err
		}
		attrs = append(attrs, der)
	}
	inside := sortedConcat(attrs)
	set, err := wrap(0, 17, inside) // universal SET
	if err != nil {
		return nil, err
	}
	return &Detached{hash: h, signer: signer, chain: chain, attrsSet: set, attrsInside: inside, sigAlg: sigAlg,
		eContentType: oidData}, nil
}

// SignedAttributes returns the bytes the signing key signs (hashed with the digest
// algorithm): the DER SET OF signed attributes.
func (d *Detached) SignedAttributes() []byte { return slices.Clone(d.attrsSet) }

// Digest returns the digest of SignedAttributes, what crypto.Signer.Sign takes.
func (d *Detached) Digest() []byte {
	h := d.hash.New()
	h.Write(d.attrsSet)
	return h.Sum(nil)
}

// Hash is the digest algorithm, the crypto.SignerOpts of the signature.
func (d *Detached) Hash() crypto.Hash { return d.hash }

// Finish encodes the SignedData (as a ContentInfo, DER) with the signature over
// SignedAttributes and optional unsigned attributes such as a timestamp token.
func (d *Detached) Finish(signature []byte, unsigned ...Attribute) ([]byte, error) {
	si := signerInfo{Version: 1, SID: issuerAndSerial{Issuer: asn1.RawValue{FullBytes: d.signer.RawIssuer},
		Serial: d.signer.SerialNumber}, DigestAlgorithm: algorithm{Algorithm: digestOIDs[d.hash]},
		SignatureAlgorithm: d.sigAlg, Signature: signature}
	var err error
	if si.SignedAttrs.FullBytes, err = wrap(2, 0, d.attrsInside); err != nil {
		return nil, err
	}
	if len(unsigned) > 0 {
		var attrs [][]byte
		for _, a := range unsigned {
			der, err := encodeAttribute(a.Type, asn1.RawValue{FullBytes: a.Value})
			if err != nil {
				return nil, err
			}
			attrs = append(attrs, der)
		}
		if si.UnsignedAttrs.FullBytes, err = wrap(2, 1, sortedConcat(attrs)); err != nil {
			return nil, err
		}
	}
	sd := signedData{DigestAlgorithms: []algorithm{{Algorithm: digestOIDs[d.hash]}},
		EncapContentInfo: encapContentInfo{EContentType: d.eContentType}, SignerInfos: []signerInfo{si}}
	if sd.Version, sd.EncapContentInfo.EContent.FullBytes, err = d.encodeContent(); err != nil {
		return nil, err
	}
	if !d.noCerts {
		var certs []byte
		for _, c := range append([]*x509.Certificate{d.signer}, d.chain...) {
			certs = append(certs, c.Raw...)
		}
		if sd.Certificates.FullBytes, err = wrap(2, 0, certs); err != nil {
			return nil, err
		}
	}
	inner, err := asn1.Marshal(sd)
	if err != nil {
		return nil, fmt.Errorf("cms: encode SignedData: %w", err)
	}
	return asn1.Marshal(contentInfo{ContentType: oidSignedData, Content: asn1.RawValue{Class: 2, Tag: 0, IsCompound: true, Bytes: inner}})
}

type contentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue
}

// encapContentInfo; without eContent the content is detached.
type encapContentInfo struct {
	EContentType asn1.ObjectIdentifier
	EContent     asn1.RawValue `asn1:"optional"`
}

type signedData struct {
	Version          int
	DigestAlgorithms []algorithm `asn1:"set"`
	EncapContentInfo encapContentInfo
	Certificates     asn1.RawValue `asn1:"optional"`
	SignerInfos      []signerInfo  `asn1:"set"`
}

type issuerAndSerial struct {
	Issuer asn1.RawValue
	Serial *big.Int
}

type signerInfo struct {
	Version            int
	SID                issuerAndSerial
	DigestAlgorithm    algorithm
	SignedAttrs        asn1.RawValue
	SignatureAlgorithm algorithm
	Signature          []byte
	UnsignedAttrs      asn1.RawValue `asn1:"optional"`
}

// encodeAttribute encodes Attribute ::= SEQUENCE { attrType, attrValues SET OF value }.
func encodeAttribute(oid asn1.ObjectIdentifier, value any) ([]byte, error) {
	v, err := asn1.Marshal(value)
	if err != nil {
		return nil, fmt.Errorf("cms: encode attribute %v: %w", oid, err)
	}
	values, err := wrap(0, 17, v)
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(struct {
		Type   asn1.ObjectIdentifier
		Values asn1.RawValue
	}{oid, asn1.RawValue{FullBytes: values}})
}

// wrap encodes content under a constructed tag of the class (0 universal, 2 context).
func wrap(class, tag int, content []byte) ([]byte, error) {
	return asn1.Marshal(asn1.RawValue{Class: class, Tag: tag, IsCompound: true, Bytes: content})
}

// sortedConcat concatenates the encodings of a DER SET OF in ascending order.
func sortedConcat(elems [][]byte) []byte {
	slices.SortFunc(elems, bytes.Compare)
	return bytes.Join(elems, nil)
}
