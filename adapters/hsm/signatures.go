package hsm

import (
	"crypto"
	"io"
	"sync/atomic"

	"github.com/ThalesGroup/crypto11"
)

// Signatures returns how many signatures the key labelled label has made through the signers
// this HSM handed out since it was opened. Every signature of the ledger's keys passes here,
// so the count is taken at the adapter boundary, whoever asked for the signature.
func (h *HSM) Signatures(label string) int64 {
	if n, ok := h.signatures.Load(label); ok {
		return n.(*atomic.Int64).Load()
	}
	return 0
}

// counter returns the signature counter of label, making it on first use.
func (h *HSM) counter(label string) *atomic.Int64 {
	if n, ok := h.signatures.Load(label); ok {
		return n.(*atomic.Int64)
	}
	n, _ := h.signatures.LoadOrStore(label, new(atomic.Int64))
	return n.(*atomic.Int64)
}

// countedSigner is a token key that counts the signatures it makes.
type countedSigner struct {
	key crypto11.Signer
	n   *atomic.Int64
}

// Public returns the key's public key.
func (s countedSigner) Public() crypto.PublicKey { return s.key.Public() }

// Sign signs digest in the token and counts the signature once the token made it.
func (s countedSigner) Sign(rand io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	sig, err := s.key.Sign(rand, digest, opts)
	if err == nil {
		s.n.Add(1)
	}
	return sig, err
}

// countedDecrypter is a counted RSA key, which crypto11 also offers as a crypto.Decrypter;
// the token refuses to decrypt with it (CKA_DECRYPT is false), and the wrapper keeps that
// visible rather than hiding the method.
type countedDecrypter struct {
	countedSigner
	dec crypto.Decrypter
}

// Decrypt asks the token to decrypt, which it refuses for the ledger's signing-only keys.
func (d countedDecrypter) Decrypt(rand io.Reader, msg []byte, opts crypto.DecrypterOpts) ([]byte, error) {
	return d.dec.Decrypt(rand, msg, opts)
}

// counted wraps a token key in its counting signer.
func (h *HSM) counted(label string, key crypto11.Signer) crypto.Signer {
	s := countedSigner{key: key, n: h.counter(label)}
	if dec, ok := key.(crypto.Decrypter); ok {
		return countedDecrypter{countedSigner: s, dec: dec}
	}
	return s
}
