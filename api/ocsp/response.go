package ocsp

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"time"

	"github.com/certledger/certledger/domain"
)

// ASN.1 of an OCSP response (RFC 6960 §4.2.1). Written here rather than taken from
// golang.org/x/crypto/ocsp because that package cannot put a nonce in responseExtensions.
type responseASN1 struct {
	Status   asn1.Enumerated
	Response responseBytes `asn1:"explicit,tag:0,optional"`
}

type responseBytes struct {
	ResponseType asn1.ObjectIdentifier
	Response     []byte
}

type basicResponse struct {
	TBSResponseData    asn1.RawValue
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Signature          asn1.BitString
	Certificates       []asn1.RawValue `asn1:"explicit,tag:0,optional"`
}

type responseData struct {
	Version            int `asn1:"optional,default:0,explicit,tag:0"`
	ResponderID        asn1.RawValue
	ProducedAt         time.Time `asn1:"generalized"`
	Responses          []singleResponse
	ResponseExtensions []pkix.Extension `asn1:"optional,explicit,tag:1"`
}

type singleResponse struct {
	CertID     certID
	Good       asn1.Flag   `asn1:"tag:0,optional"`
	Revoked    revokedInfo `asn1:"tag:1,optional"`
	Unknown    asn1.Flag   `asn1:"tag:2,optional"`
	ThisUpdate time.Time   `asn1:"generalized"`
	NextUpdate time.Time   `asn1:"generalized,explicit,tag:0,optional"`
}

type revokedInfo struct {
	RevocationTime time.Time       `asn1:"generalized"`
	Reason         asn1.Enumerated `asn1:"explicit,tag:0,optional"`
}

var oidBasicResponse = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 1}

// Pre-encoded unsigned error responses (RFC 6960 §4.2.1).
var (
	malformedResponse     = []byte{0x30, 0x03, 0x0A, 0x01, 0x01}
	internalErrorResponse = []byte{0x30, 0x03, 0x0A, 0x01, 0x02}
	unauthorizedResponse  = []byte{0x30, 0x03, 0x0A, 0x01, 0x06}
)

// signingKey is a responder's key with what signing with it needs, worked out once.
type signingKey struct {
	signer      crypto.Signer
	hash        crypto.Hash
	algorithm   pkix.AlgorithmIdentifier
	responderID asn1.RawValue
	certs       []asn1.RawValue
}

func newSigningKey(signer crypto.Signer, responderCert *x509.Certificate) (*signingKey, error) {
	k := &signingKey{signer: signer, hash: crypto.SHA256, certs: []asn1.RawValue{{FullBytes: responderCert.Raw}}}
	switch pub := signer.Public().(type) {
	case *ecdsa.PublicKey:
		k.algorithm.Algorithm = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
		if pub.Curve == elliptic.P384() {
			k.hash, k.algorithm.Algorithm = crypto.SHA384, asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}
		}
	case *rsa.PublicKey:
		k.algorithm = pkix.AlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}, Parameters: asn1.NullRawValue}
	default:
		return nil, fmt.Errorf("OCSP responder key type %T is not supported", pub)
	}
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(responderCert.RawSubjectPublicKeyInfo, &spki); err != nil {
		return nil, fmt.Errorf("responder certificate public key: %w", err)
	}
	keyHash := sha1.Sum(spki.PublicKey.RightAlign())
	inner, err := asn1.Marshal(keyHash[:])
	if err != nil {
		return nil, err
	}
	k.responderID = asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 2, IsCompound: true, Bytes: inner}
	return k, nil
}

// status is what a response says of one certificate.
type status struct {
	kind       domain.SerialKind
	revokedAt  time.Time
	reason     domain.RevocationReason
	thisUpdate time.Time
	nextUpdate time.Time
}

// sign builds and signs a successful response for one certificate id.
func (k *signingKey) sign(id certID, st status, nonce []byte, producedAt time.Time) ([]byte, error) {
	single := singleResponse{CertID: id, ThisUpdate: st.thisUpdate.UTC(), NextUpdate: st.nextUpdate.UTC()}
	switch st.kind {
	case domain.SerialGood:
		single.Good = true
	case domain.SerialRevoked:
		single.Revoked = revokedInfo{RevocationTime: st.revokedAt.UTC(), Reason: asn1.Enumerated(st.reason)}
	default:
		single.Unknown = true
	}
	data := responseData{ResponderID: k.responderID, ProducedAt: producedAt.UTC().Truncate(time.Second), Responses: []singleResponse{single}}
	if nonce != nil {
		data.ResponseExtensions = []pkix.Extension{{Id: oidNonce, Value: nonce}}
	}
	tbs, err := asn1.Marshal(data)
	if err != nil {
		return nil, fmt.Errorf("encode OCSP response data: %w", err)
	}
	h := k.hash.New()
	h.Write(tbs)
	sig, err := k.signer.Sign(rand.Reader, h.Sum(nil), k.hash)
	if err != nil {
		return nil, fmt.Errorf("sign OCSP response: %w", err)
	}
	basic, err := asn1.Marshal(basicResponse{
		TBSResponseData: asn1.RawValue{FullBytes: tbs}, SignatureAlgorithm: k.algorithm,
		Signature: asn1.BitString{Bytes: sig, BitLength: 8 * len(sig)}, Certificates: k.certs,
	})
	if err != nil {
		return nil, fmt.Errorf("encode OCSP basic response: %w", err)
	}
	return asn1.Marshal(responseASN1{Response: responseBytes{ResponseType: oidBasicResponse, Response: basic}})
}
