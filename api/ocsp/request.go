package ocsp

import (
	"crypto"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
)

// MaxRequestSize bounds an OCSP request; a single-certificate request is about 100 bytes.
const MaxRequestSize = 4096

// ASN.1 of an OCSP request (RFC 6960 §4.1.1), as far as a responder needs it.
type ocspRequest struct {
	TBSRequest        tbsRequest
	OptionalSignature asn1.RawValue `asn1:"explicit,tag:0,optional"`
}

type tbsRequest struct {
	Version           int           `asn1:"explicit,tag:0,default:0,optional"`
	RequestorName     asn1.RawValue `asn1:"explicit,tag:1,optional"`
	RequestList       []singleRequest
	RequestExtensions []pkix.Extension `asn1:"explicit,tag:2,optional"`
}

type singleRequest struct {
	CertID     certID
	Extensions []pkix.Extension `asn1:"explicit,tag:0,optional"`
}

type certID struct {
	HashAlgorithm pkix.AlgorithmIdentifier
	NameHash      []byte
	IssuerKeyHash []byte
	SerialNumber  *big.Int
}

var (
	oidSHA1   = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
	oidSHA256 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidSHA384 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	oidSHA512 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}
	oidNonce  = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 2}
)

// Request is a parsed single-certificate OCSP request.
type Request struct {
	// Hash is the hash the client used for the issuer name and key hashes.
	Hash crypto.Hash
	// CertID is the certificate identifier exactly as the client sent it, echoed in the response.
	CertID certID
	// Nonce is the client's nonce extension value (DER), nil when none was sent.
	Nonce []byte
}

// ErrMalformed marks a request that is not a well-formed single-certificate OCSP request.
var ErrMalformed = errors.New("malformed OCSP request")

// ParseRequest parses a DER OCSP request for exactly one certificate, keeping its nonce.
func ParseRequest(der []byte) (Request, error) {
	if len(der) > MaxRequestSize {
		return Request{}, fmt.Errorf("%w: %d bytes is over the %d-byte limit", ErrMalformed, len(der), MaxRequestSize)
	}
	var req ocspRequest
	rest, err := asn1.Unmarshal(der, &req)
	switch {
	case err != nil:
		return Request{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	case len(rest) > 0:
		return Request{}, fmt.Errorf("%w: trailing data", ErrMalformed)
	case len(req.TBSRequest.RequestList) != 1:
		return Request{}, fmt.Errorf("%w: %d certificates asked for, one is served per request", ErrMalformed, len(req.TBSRequest.RequestList))
	}
	id := req.TBSRequest.RequestList[0].CertID
	h := hashOf(id.HashAlgorithm.Algorithm)
	if h == 0 || id.SerialNumber == nil || len(id.NameHash) != h.Size() || len(id.IssuerKeyHash) != h.Size() {
		return Request{}, fmt.Errorf("%w: unsupported hash or malformed certificate id", ErrMalformed)
	}
	r := Request{Hash: h, CertID: id}
	for _, ext := range req.TBSRequest.RequestExtensions {
		if ext.Id.Equal(oidNonce) {
			r.Nonce = ext.Value
		}
	}
	return r, nil
}

func hashOf(oid asn1.ObjectIdentifier) crypto.Hash {
	switch {
	case oid.Equal(oidSHA1):
		return crypto.SHA1
	case oid.Equal(oidSHA256):
		return crypto.SHA256
	case oid.Equal(oidSHA384):
		return crypto.SHA384
	case oid.Equal(oidSHA512):
		return crypto.SHA512
	}
	return 0
}
