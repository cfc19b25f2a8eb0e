package cms

import (
	"crypto"
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"time"
)

// Authenticode object identifiers (Microsoft, "Windows Authenticode Portable Executable
// Signature Format").
var (
	// OIDSpcIndirectData is SPC_INDIRECT_DATA_OBJID, the content type of an Authenticode
	// signature: its content is SpcIndirectDataContent, which holds the PE image's hash.
	OIDSpcIndirectData = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 311, 2, 1, 4}
	// oidSpcPEImageData is SPC_PE_IMAGE_DATAOBJ, the data type of a PE image's indirect data.
	oidSpcPEImageData = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 311, 2, 1, 15}
	// oidSpcStatementType and oidIndividualCodeSigning make the signed attribute that says
	// "individual code signing", as signtool and osslsigncode write it.
	oidSpcStatementType       = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 311, 2, 1, 11}
	oidIndividualCodeSigning  = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 311, 2, 1, 21}
	errNotIndirectDataContent = fmt.Errorf("cms: not an SpcIndirectDataContent of a PE image")
)

// spcIndirectDataContent is SEQUENCE { data SpcAttributeTypeAndOptionalValue, messageDigest
// DigestInfo }.
type spcIndirectDataContent struct {
	Data struct {
		Type  asn1.ObjectIdentifier
		Value asn1.RawValue `asn1:"optional"`
	}
	MessageDigest struct {
		Algorithm algorithm
		Digest    []byte
	}
}

// ParseIndirectData reads an SpcIndirectDataContent (DER, what `osslsigncode extract-data`
// puts in its SignedData) of a PE image and returns the image's Authenticode hash and its
// algorithm: what an Authenticode signature over content vouches for.
func ParseIndirectData(content []byte) (crypto.Hash, []byte, error) {
	var c spcIndirectDataContent
	rest, err := asn1.Unmarshal(content, &c)
	if err != nil {
		return 0, nil, fmt.Errorf("%w: %v", errNotIndirectDataContent, err)
	}
	if len(rest) > 0 || !c.Data.Type.Equal(oidSpcPEImageData) {
		return 0, nil, fmt.Errorf("%w (data type %v, %d trailing bytes)", errNotIndirectDataContent, c.Data.Type, len(rest))
	}
	for h, oid := range digestOIDs {
		if oid.Equal(c.MessageDigest.Algorithm.Algorithm) {
			if len(c.MessageDigest.Digest) != h.Size() {
				return 0, nil, fmt.Errorf("%w: a %v image hash of %d bytes", errNotIndirectDataContent, h, len(c.MessageDigest.Digest))
			}
			return h, c.MessageDigest.Digest, nil
		}
	}
	return 0, nil, fmt.Errorf("cms: the PE image hash algorithm %v is not accepted (SHA-256, SHA-384 or SHA-512)",
		c.MessageDigest.Algorithm.Algorithm)
}

// IndirectDataOf returns the SpcIndirectDataContent inside a PKCS #7 SignedData without
// signers, the output of `osslsigncode extract-data` for a PE.
func IndirectDataOf(pkcs7 []byte) ([]byte, error) {
	var ci contentInfo
	if _, err := asn1.Unmarshal(pkcs7, &ci); err != nil || !ci.ContentType.Equal(oidSignedData) {
		return nil, fmt.Errorf("cms: extracted data is not a PKCS #7 SignedData (%v)", err)
	}
	var sd struct {
		Version          int
		DigestAlgorithms asn1.RawValue
		EncapContentInfo struct {
			EContentType asn1.ObjectIdentifier
			EContent     asn1.RawValue // [0] EXPLICIT, around the content itself
		}
		Rest []asn1.RawValue `asn1:"optional"` // certificates and signer infos, empty
	}
	if _, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil {
		return nil, fmt.Errorf("cms: decode the extracted SignedData: %w", err)
	}
	if !sd.EncapContentInfo.EContentType.Equal(OIDSpcIndirectData) {
		return nil, fmt.Errorf("cms: extracted content is of type %v, not SPC_INDIRECT_DATA", sd.EncapContentInfo.EContentType)
	}
	if e := sd.EncapContentInfo.EContent; e.Class != 2 || e.Tag != 0 || !e.IsCompound {
		return nil, fmt.Errorf("cms: the extracted SignedData carries no content")
	}
	return sd.EncapContentInfo.EContent.Bytes, nil
}

// NewAuthenticode fixes the signed attributes of an Authenticode signature over content, an
// SpcIndirectDataContent of a PE image: contentType SPC_INDIRECT_DATA, messageDigest the
// hash with h of content's value without its SEQUENCE tag and length (Authenticode's rule,
// what osslsigncode checks), signingTime and SpcStatementType (individual code signing). The
// SignedData is version 1 with content carried as itself, not in an OCTET STRING (PKCS #7
// v1.5, as Authenticode is), ready for `osslsigncode attach-signature`.
func NewAuthenticode(content []byte, h crypto.Hash, signer *x509.Certificate, chain []*x509.Certificate,
	signingTime time.Time) (*Detached, error) {
	imageHash, _, err := ParseIndirectData(content)
	if err != nil {
		return nil, err
	}
	if imageHash != h {
		return nil, fmt.Errorf("cms: the PE image hash is %v, the signature's digest %v", imageHash, h)
	}
	var value asn1.RawValue
	if _, err := asn1.Unmarshal(content, &value); err != nil {
		return nil, fmt.Errorf("cms: decode SpcIndirectDataContent: %w", err)
	}
	d := h.New()
	d.Write(value.Bytes)
	statement := []asn1.ObjectIdentifier{oidIndividualCodeSigning}
	sd, err := newSigned(h, signer, chain, []attribute{{oidContentType, OIDSpcIndirectData}, {oidMessageDigest, d.Sum(nil)},
		{oidSigningTime, signingTime.UTC()}, {oidSpcStatementType, statement}})
	if err != nil {
		return nil, err
	}
	sd.eContentType, sd.eContent, sd.rawContent = OIDSpcIndirectData, append([]byte(nil), content...), true
	return sd, nil
}

// encodeContent is the SignedData version and its eContent field: none for detached id-data
// (version 1), the content itself for Authenticode (version 1), or an OCTET STRING (version
// 3, RFC 5652 §5.1, the content not being id-data).
func (d *Detached) encodeContent() (int, []byte, error) {
	switch {
	case d.eContent == nil:
		return 1, nil, nil
	case d.rawContent:
		eContent, err := wrap(2, 0, d.eContent)
		return 1, eContent, err
	}
	eContent, err := explicitOctets(d.eContent)
	return 3, eContent, err
}
