package domain

import (
	"bytes"

	"github.com/certledger/certledger/domain/cms"
)

// SignatureKind is what a signature request's SignedData is: a detached CMS signature over
// the artifact's digest (the empty kind, "cms" on the wire) or an Authenticode signature of
// a Windows PE over its SpcIndirectDataContent.
type SignatureKind string

// The kinds of signature.
const (
	SignatureKindCMS          SignatureKind = ""
	SignatureKindAuthenticode SignatureKind = "authenticode"
)

// MaxIndirectDataLen bounds an Authenticode request's content: an SpcIndirectDataContent
// is about 150 bytes with a SHA-512 image hash in it.
const MaxIndirectDataLen = 1024

// ParseSignatureKind reads a kind from the API: "" or "cms", or "authenticode".
func ParseSignatureKind(s string) (SignatureKind, error) {
	switch s {
	case "", "cms":
		return SignatureKindCMS, nil
	case string(SignatureKindAuthenticode):
		return SignatureKindAuthenticode, nil
	}
	return "", invalidf("signature kind %q is not cms or authenticode", s)
}

// checkContent checks a request's content against its kind: none for a CMS signature; for
// Authenticode the SpcIndirectDataContent of a PE whose image hash is the request's digest,
// with its algorithm, so that what is recorded as signed is what the signature covers.
func checkContent(kind SignatureKind, content, digest []byte, alg DigestAlgorithm) error {
	if kind == SignatureKindCMS {
		if len(content) > 0 {
			return invalidf("a cms signature carries no content: only the digest is signed")
		}
		return nil
	}
	if len(content) == 0 || len(content) > MaxIndirectDataLen {
		return invalidf("an authenticode request needs its SpcIndirectDataContent, 1 to %d bytes", MaxIndirectDataLen)
	}
	h, imageHash, err := cms.ParseIndirectData(content)
	if err != nil {
		return invalidf("authenticode content: %v", err)
	}
	if h != alg.Hash() || !bytes.Equal(imageHash, digest) {
		return invalidf("authenticode content holds a %v image hash %x, not the request's %s digest", h, imageHash, alg)
	}
	return nil
}
