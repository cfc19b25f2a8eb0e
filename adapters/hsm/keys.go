package hsm

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
)

// KeyAlgorithm names a key type and size, as written in configs and commands.
type KeyAlgorithm string

// The key algorithms the ledger knows. Ed25519 is recognised, but crypto11 cannot use EdDSA
// keys, so GenerateKey returns ErrUnsupportedAlgorithm for it.
const (
	ECDSAP256 KeyAlgorithm = "ecdsa-p256"
	ECDSAP384 KeyAlgorithm = "ecdsa-p384"
	RSA2048   KeyAlgorithm = "rsa-2048"
	RSA3072   KeyAlgorithm = "rsa-3072"
	RSA4096   KeyAlgorithm = "rsa-4096"
	Ed25519   KeyAlgorithm = "ed25519"
)

// KeyAlgorithms lists every KeyAlgorithm, in the order above.
func KeyAlgorithms() []KeyAlgorithm {
	return []KeyAlgorithm{ECDSAP256, ECDSAP384, RSA2048, RSA3072, RSA4096, Ed25519}
}

// ParseKeyAlgorithm parses a KeyAlgorithm name, ignoring case and surrounding spaces.
func ParseKeyAlgorithm(s string) (KeyAlgorithm, error) {
	alg := KeyAlgorithm(strings.ToLower(strings.TrimSpace(s)))
	for _, known := range KeyAlgorithms() {
		if alg == known {
			return alg, nil
		}
	}
	return "", fmt.Errorf("%w: %q (want one of ecdsa-p256, ecdsa-p384, rsa-2048, rsa-3072, rsa-4096, ed25519)",
		ErrUnsupportedAlgorithm, s)
}

// X509SignatureAlgorithm returns the signature algorithm the ledger uses with a key of this
// algorithm in certificates, CRLs and OCSP responses: ECDSA with the curve's hash, RSA
// PKCS#1 v1.5 with SHA-256, pure Ed25519.
func (a KeyAlgorithm) X509SignatureAlgorithm() x509.SignatureAlgorithm {
	switch a {
	case ECDSAP256:
		return x509.ECDSAWithSHA256
	case ECDSAP384:
		return x509.ECDSAWithSHA384
	case RSA2048, RSA3072, RSA4096:
		return x509.SHA256WithRSA
	case Ed25519:
		return x509.PureEd25519
	}
	return x509.UnknownSignatureAlgorithm
}

// algorithmOf derives the KeyAlgorithm of a public key read from the token.
func algorithmOf(pub crypto.PublicKey) (KeyAlgorithm, error) {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256():
			return ECDSAP256, nil
		case elliptic.P384():
			return ECDSAP384, nil
		}
		return "", fmt.Errorf("%w: ECDSA curve %s", ErrUnsupportedAlgorithm, k.Curve.Params().Name)
	case *rsa.PublicKey:
		switch k.N.BitLen() {
		case 2048:
			return RSA2048, nil
		case 3072:
			return RSA3072, nil
		case 4096:
			return RSA4096, nil
		}
		return "", fmt.Errorf("%w: RSA-%d", ErrUnsupportedAlgorithm, k.N.BitLen())
	}
	return "", fmt.Errorf("%w: public key of type %T", ErrUnsupportedAlgorithm, pub)
}

// KeyInfo describes a key pair in the token. In JSON the ID is hex and the public key is its
// DER SubjectPublicKeyInfo (base64).
type KeyInfo struct {
	ID        []byte           // CKA_ID, random, shared by the private and public halves
	Label     string           // CKA_LABEL, unique in the token
	Algorithm KeyAlgorithm     // key type and size
	PublicKey crypto.PublicKey // *ecdsa.PublicKey or *rsa.PublicKey
}

type keyInfoJSON struct {
	ID        string       `json:"id"`
	Label     string       `json:"label"`
	Algorithm KeyAlgorithm `json:"algorithm"`
	PublicKey []byte       `json:"public_key,omitempty"`
}

// MarshalJSON encodes the ID as hex and the public key as DER SubjectPublicKeyInfo.
func (k KeyInfo) MarshalJSON() ([]byte, error) {
	out := keyInfoJSON{ID: hex.EncodeToString(k.ID), Label: k.Label, Algorithm: k.Algorithm}
	if k.PublicKey != nil {
		der, err := x509.MarshalPKIXPublicKey(k.PublicKey)
		if err != nil {
			return nil, fmt.Errorf("hsm: key %q: %w", k.Label, err)
		}
		out.PublicKey = der
	}
	return json.Marshal(out)
}

// UnmarshalJSON decodes what MarshalJSON encodes.
func (k *KeyInfo) UnmarshalJSON(b []byte) error {
	var in keyInfoJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	id, err := hex.DecodeString(in.ID)
	if err != nil {
		return fmt.Errorf("hsm: key %q: id is not hex: %w", in.Label, err)
	}
	var pub crypto.PublicKey
	if len(in.PublicKey) > 0 {
		if pub, err = x509.ParsePKIXPublicKey(in.PublicKey); err != nil {
			return fmt.Errorf("hsm: key %q: %w", in.Label, err)
		}
	}
	*k = KeyInfo{ID: id, Label: in.Label, Algorithm: in.Algorithm, PublicKey: pub}
	return nil
}
