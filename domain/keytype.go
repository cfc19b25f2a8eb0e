package domain

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"fmt"
	"strings"
)

// KeyType names a public-key algorithm and size, shared by CAs and profiles.
type KeyType string

// The key types the ledger knows. Ed25519 is known, but a CA can use it only where its HSM
// token supports it.
const (
	KeyECDSAP256 KeyType = "ecdsa-p256"
	KeyECDSAP384 KeyType = "ecdsa-p384"
	KeyRSA2048   KeyType = "rsa-2048"
	KeyRSA3072   KeyType = "rsa-3072"
	KeyRSA4096   KeyType = "rsa-4096"
	KeyEd25519   KeyType = "ed25519"
)

// KeyTypes returns every known key type, in a fixed order.
func KeyTypes() []KeyType {
	return []KeyType{KeyECDSAP256, KeyECDSAP384, KeyRSA2048, KeyRSA3072, KeyRSA4096, KeyEd25519}
}

// Known reports whether k is one of the key types the ledger knows.
func (k KeyType) Known() bool {
	for _, known := range KeyTypes() {
		if k == known {
			return true
		}
	}
	return false
}

// IsRSA reports whether k is an RSA key type.
func (k KeyType) IsRSA() bool {
	return k == KeyRSA2048 || k == KeyRSA3072 || k == KeyRSA4096
}

// ParseKeyType returns the known key type named s.
func ParseKeyType(s string) (KeyType, error) {
	if k := KeyType(s); k.Known() {
		return k, nil
	}
	return "", invalidf("unknown key type %q: want one of %v", s, KeyTypes())
}

// KeyTypeOf names the algorithm and size of pub. Keys the ledger does not know get a
// descriptive name that is not Known, such as "rsa-1024" or "ecdsa-p521", so that policy
// checks can name them.
func KeyTypeOf(pub crypto.PublicKey) KeyType {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256():
			return KeyECDSAP256
		case elliptic.P384():
			return KeyECDSAP384
		case elliptic.P521():
			return "ecdsa-p521"
		}
		return "ecdsa-unknown"
	case *rsa.PublicKey:
		return KeyType(fmt.Sprintf("rsa-%d", k.N.BitLen()))
	case ed25519.PublicKey:
		return KeyEd25519
	}
	return KeyType(fmt.Sprintf("unsupported-%T", pub))
}

// Family names a key type's algorithm family: "RSA", "ECDSA", "Ed25519", "ML-DSA", or
// "other" for a name the ledger does not know.
func (k KeyType) Family() string {
	s := string(k)
	switch {
	case strings.HasPrefix(s, "rsa-"):
		return "RSA"
	case strings.HasPrefix(s, "ecdsa-"):
		return "ECDSA"
	case s == string(KeyEd25519):
		return "Ed25519"
	case strings.HasPrefix(s, "ml-dsa-"):
		return "ML-DSA"
	}
	return "other"
}

// QuantumVulnerable says whether a cryptographically relevant quantum computer breaks keys of
// this type (Shor's algorithm breaks RSA and elliptic curves alike); only ML-DSA (FIPS 204)
// stands. An unknown type counts as vulnerable.
func (k KeyType) QuantumVulnerable() bool { return k.Family() != "ML-DSA" }

// KeyBits is the size of a public key in bits: the modulus of an RSA key, the curve of an
// ECDSA one, 256 for Ed25519, 0 for a key the ledger does not know.
func KeyBits(pub crypto.PublicKey) int {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		return k.Curve.Params().BitSize
	case *rsa.PublicKey:
		return k.N.BitLen()
	case ed25519.PublicKey:
		return 256
	}
	return 0
}
