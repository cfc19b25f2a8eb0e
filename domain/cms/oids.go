package cms

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/asn1"
	"fmt"
)

// Object identifiers of RFC 5652, RFC 5911 and RFC 5758.
var (
	oidData          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidSignedData    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidContentType   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidMessageDigest = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidSigningTime   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
	// OIDTimeStampToken is the unsigned attribute that carries an RFC 3161 token (RFC 3161
	// appendix A).
	OIDTimeStampToken = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 14}
	oidRSAEncryption  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
)

// digestOIDs are the digests accepted, with their OIDs.
var digestOIDs = map[crypto.Hash]asn1.ObjectIdentifier{
	crypto.SHA256: {2, 16, 840, 1, 101, 3, 4, 2, 1},
	crypto.SHA384: {2, 16, 840, 1, 101, 3, 4, 2, 2},
	crypto.SHA512: {2, 16, 840, 1, 101, 3, 4, 2, 3},
}

// ecdsaOIDs are ecdsa-with-SHA256/384/512.
var ecdsaOIDs = map[crypto.Hash]asn1.ObjectIdentifier{
	crypto.SHA256: {1, 2, 840, 10045, 4, 3, 2},
	crypto.SHA384: {1, 2, 840, 10045, 4, 3, 3},
	crypto.SHA512: {1, 2, 840, 10045, 4, 3, 4},
}

// algorithm is an AlgorithmIdentifier.
type algorithm struct {
	Algorithm  asn1.ObjectIdentifier
	Parameters asn1.RawValue `asn1:"optional"`
}

var asn1Null = asn1.RawValue{Tag: asn1.TagNull}

// signatureAlgorithm is the SignerInfo signatureAlgorithm for a public key and digest: for
// RSA rsaEncryption with NULL parameters (what OpenSSL writes), for ECDSA ecdsa-with-SHAx.
func signatureAlgorithm(pub crypto.PublicKey, h crypto.Hash) (algorithm, error) {
	switch pub.(type) {
	case *ecdsa.PublicKey:
		return algorithm{Algorithm: ecdsaOIDs[h]}, nil
	case *rsa.PublicKey:
		return algorithm{Algorithm: oidRSAEncryption, Parameters: asn1Null}, nil
	}
	return algorithm{}, fmt.Errorf("cms: a %T signing key is not supported (ECDSA or RSA)", pub)
}
