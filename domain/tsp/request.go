package tsp

import (
	"crypto"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"slices"

	"github.com/digitorus/timestamp"
)

// MaxRequestSize bounds a TimeStampReq: a SHA-512 imprint, a policy and a nonce fit in far less.
const MaxRequestSize = 4096

// FailureInfo is a PKIFailureInfo bit of RFC 3161 §2.4.2.
type FailureInfo int

// The failure infos the TSA answers with.
const (
	BadAlg              FailureInfo = 0
	BadRequest          FailureInfo = 2
	BadDataFormat       FailureInfo = 5
	UnacceptedPolicy    FailureInfo = 15
	UnacceptedExtension FailureInfo = 16
	SystemFailure       FailureInfo = 25
)

// Failure is a request the TSA refuses, with what to answer.
type Failure struct {
	Info   FailureInfo
	Reason string
}

func (f *Failure) Error() string {
	return fmt.Sprintf("time-stamp request refused (failure info %d): %s", f.Info, f.Reason)
}

func failf(info FailureInfo, format string, args ...any) *Failure {
	return &Failure{Info: info, Reason: fmt.Sprintf(format, args...)}
}

// Request is an accepted TimeStampReq.
type Request struct {
	Hash    crypto.Hash
	Imprint []byte
	// Nonce is echoed in the token; nil when the client sent none.
	Nonce *big.Int
	// CertReq asks for the TSA's certificate in the token.
	CertReq bool
}

// accepted are the imprint algorithms the TSA timestamps; SHA-1 and MD5 never.
var accepted = []crypto.Hash{crypto.SHA256, crypto.SHA384, crypto.SHA512}

// ParseRequest parses a DER TimeStampReq and checks it for a TSA whose policy is policy.
func ParseRequest(der []byte, policy asn1.ObjectIdentifier) (Request, error) {
	if len(der) > MaxRequestSize {
		return Request{}, failf(BadDataFormat, "the request has more than %d bytes", MaxRequestSize)
	}
	var head struct {
		Version int
		Rest    asn1.RawValue `asn1:"optional"`
	}
	if _, err := asn1.UnmarshalWithParams(der, &head, ""); err == nil && head.Version != 1 {
		return Request{}, failf(BadRequest, "version %d: only version 1 is defined", head.Version)
	}
	req, err := timestamp.ParseRequest(der)
	switch {
	case errors.Is(err, timestamp.ParseError("Time-Stamp request uses unknown hash function")):
		return Request{}, failf(BadAlg, "the imprint's hash algorithm is not SHA-256, SHA-384 or SHA-512")
	case err != nil:
		return Request{}, failf(BadDataFormat, "not a TimeStampReq: %v", err)
	case !slices.Contains(accepted, req.HashAlgorithm):
		return Request{}, failf(BadAlg, "%v imprints are not accepted: SHA-256, SHA-384 or SHA-512", req.HashAlgorithm)
	case len(req.HashedMessage) != req.HashAlgorithm.Size():
		return Request{}, failf(BadDataFormat, "a %v imprint has %d bytes, not %d", req.HashAlgorithm,
			req.HashAlgorithm.Size(), len(req.HashedMessage))
	case len(req.TSAPolicyOID) > 0 && !req.TSAPolicyOID.Equal(policy):
		return Request{}, failf(UnacceptedPolicy, "policy %v is not the TSA's (%v)", req.TSAPolicyOID, policy)
	case len(req.Extensions) > 0:
		return Request{}, failf(UnacceptedExtension, "the TSA accepts no request extensions (%v)", req.Extensions[0].Id)
	case req.Nonce != nil && (req.Nonce.Sign() < 0 || req.Nonce.BitLen() > 512):
		return Request{}, failf(BadRequest, "the nonce is negative or longer than 512 bits")
	}
	return Request{Hash: req.HashAlgorithm, Imprint: slices.Clone(req.HashedMessage), Nonce: req.Nonce, CertReq: req.Certificates}, nil
}

// DefaultPolicy is the TSA policy OID a ledger names unless configured otherwise: an arc
// under 1.3.6.1.4.1.32473, the enterprise number RFC 5612 reserves for documentation. A
// deployment whose tokens are relied on outside it sets its own.
var DefaultPolicy = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 32473, 3161, 1}
