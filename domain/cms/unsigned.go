package cms

import (
	"encoding/asn1"
	"errors"
	"fmt"
)

// DER tags this file walks: universal SEQUENCE, SET and OCTET STRING, and the SignerInfo's
// [1] IMPLICIT unsignedAttrs.
const (
	tagOctetString = 4
	tagSequence    = 16
	tagSet         = 17
	tagUnsigned    = 1
)

var errNotOneSigner = errors.New("cms: not a SignedData with exactly one SignerInfo")

// signedDataParts is a SignedData split into its elements, with its one SignerInfo split too.
type signedDataParts struct {
	sd     []asn1.RawValue // the SignedData's elements, its SignerInfos SET last
	signer []asn1.RawValue // the SignerInfo's elements
}

// splitSignedData walks a ContentInfo holding a SignedData down to its single SignerInfo.
func splitSignedData(contentInfoDER []byte) (signedDataParts, error) {
	var ci contentInfo
	if rest, err := asn1.Unmarshal(contentInfoDER, &ci); err != nil || len(rest) > 0 || !ci.ContentType.Equal(oidSignedData) {
		return signedDataParts{}, fmt.Errorf("%w: not a ContentInfo of SignedData (%v)", errNotOneSigner, err)
	}
	sd, err := elementsOf(ci.Content.Bytes, 0, tagSequence)
	if err != nil || len(sd) < 4 {
		return signedDataParts{}, fmt.Errorf("%w: the SignedData: %v", errNotOneSigner, err)
	}
	last := sd[len(sd)-1]
	signers, err := elementsOf(last.FullBytes, 0, tagSet)
	if err != nil || len(signers) != 1 {
		return signedDataParts{}, fmt.Errorf("%w: SignerInfos (%d, %v)", errNotOneSigner, len(signers), err)
	}
	signer, err := elementsOf(signers[0].FullBytes, 0, tagSequence)
	if err != nil || len(signer) < 5 {
		return signedDataParts{}, fmt.Errorf("%w: the SignerInfo: %v", errNotOneSigner, err)
	}
	return signedDataParts{sd: sd, signer: signer}, nil
}

// elementsOf decodes one element of the class and tag and splits its content into elements.
func elementsOf(der []byte, class, tag int) ([]asn1.RawValue, error) {
	var outer asn1.RawValue
	if rest, err := asn1.Unmarshal(der, &outer); err != nil || len(rest) > 0 {
		return nil, fmt.Errorf("not one DER element (%v)", err)
	}
	if outer.Class != class || outer.Tag != tag || !outer.IsCompound {
		return nil, fmt.Errorf("element of class %d tag %d, want class %d tag %d", outer.Class, outer.Tag, class, tag)
	}
	var out []asn1.RawValue
	for b := outer.Bytes; len(b) > 0; {
		var v asn1.RawValue
		rest, err := asn1.Unmarshal(b, &v)
		if err != nil {
			return nil, err
		}
		out, b = append(out, v), rest
	}
	return out, nil
}

// unsigned returns the index of the SignerInfo's unsignedAttrs, -1 without them.
func (p signedDataParts) unsigned() int {
	if last := p.signer[len(p.signer)-1]; last.Class == asn1.ClassContextSpecific && last.Tag == tagUnsigned {
		return len(p.signer) - 1
	}
	return -1
}

// SignatureValue returns the signature of a SignedData's one signer: the octets an RFC 3161
// timestamp token on it covers (RFC 3161 appendix A).
func SignatureValue(contentInfoDER []byte) ([]byte, error) {
	p, err := splitSignedData(contentInfoDER)
	if err != nil {
		return nil, err
	}
	i := len(p.signer) - 1
	if p.unsigned() >= 0 {
		i--
	}
	if sig := p.signer[i]; sig.Class == asn1.ClassUniversal && sig.Tag == tagOctetString && !sig.IsCompound {
		return sig.Bytes, nil
	}
	return nil, fmt.Errorf("%w: the SignerInfo has no signature before its unsigned attributes", errNotOneSigner)
}

// AddUnsignedAttribute returns the SignedData with a added to its one signer's unsigned
// attributes, such as an RFC 3161 token under OIDTimeStampToken. The signature and everything
// it covers are left as they are: unsigned attributes are outside the signature.
func AddUnsignedAttribute(contentInfoDER []byte, a Attribute) ([]byte, error) {
	p, err := splitSignedData(contentInfoDER)
	if err != nil {
		return nil, err
	}
	attr, err := encodeAttribute(a.Type, asn1.RawValue{FullBytes: a.Value})
	if err != nil {
		return nil, err
	}
	attrs := [][]byte{attr}
	signer := p.signer
	if i := p.unsigned(); i >= 0 {
		for b := signer[i].Bytes; len(b) > 0; {
			var v asn1.RawValue
			rest, err := asn1.Unmarshal(b, &v)
			if err != nil {
				return nil, fmt.Errorf("cms: the unsigned attributes: %w", err)
			}
			attrs, b = append(attrs, v.FullBytes), rest
		}
		signer = signer[:i]
	}
	unsignedDER, err := wrap(2, tagUnsigned, sortedConcat(attrs))
	if err != nil {
		return nil, err
	}
	signerDER, err := wrap(0, tagSequence, concat(append(signer[:len(signer):len(signer)], asn1.RawValue{FullBytes: unsignedDER})))
	if err != nil {
		return nil, err
	}
	setDER, err := wrap(0, tagSet, signerDER)
	if err != nil {
		return nil, err
	}
	inner, err := wrap(0, tagSequence, concat(append(p.sd[:len(p.sd)-1:len(p.sd)-1], asn1.RawValue{FullBytes: setDER})))
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(contentInfo{ContentType: oidSignedData, Content: asn1.RawValue{Class: 2, Tag: 0, IsCompound: true, Bytes: inner}})
}

// concat joins the elements' encodings.
func concat(elems []asn1.RawValue) []byte {
	var out []byte
	for _, e := range elems {
		out = append(out, e.FullBytes...)
	}
	return out
}
