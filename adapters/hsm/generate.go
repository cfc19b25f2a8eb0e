package hsm

import (
	"context"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"fmt"

	"github.com/ThalesGroup/crypto11"
)

// keyIDLen is the length of the random CKA_ID given to every generated key pair.
const keyIDLen = 16

// GenerateKey generates a key pair of algorithm alg inside the token, labelled label on both
// halves, with a fresh random CKA_ID. The private half is a token object that is sensitive and
// not extractable, usable for signing only. A label already in the token is ErrKeyExists (checked
// and generated under one lock, so two concurrent calls in this process cannot both win).
//
// ctx is checked before the token is asked; key generation itself cannot be interrupted (an
// RSA-4096 key can take seconds in SoftHSM).
func (h *HSM) GenerateKey(ctx context.Context, label string, alg KeyAlgorithm, opts ...KeyOption) (KeyInfo, error) {
	var o keyOptions
	for _, opt := range opts {
		opt(&o)
	}
	if o.transport && alg.X509SignatureAlgorithm() != x509.SHA256WithRSA {
		return KeyInfo{}, fmt.Errorf("%w: %s (key %q) for key transport: only RSA keys decrypt", ErrUnsupportedAlgorithm, alg, label)
	}
	if label == "" {
		return KeyInfo{}, fmt.Errorf("hsm: generate key: empty label")
	}
	if _, err := ParseKeyAlgorithm(string(alg)); err != nil {
		return KeyInfo{}, err
	}
	if alg == Ed25519 {
		return KeyInfo{}, fmt.Errorf("%w: %s (key %q): crypto11 v1.6.2 has no EdDSA keys, "+
			"even where the token offers CKM_EDDSA; use ecdsa-p256", ErrUnsupportedAlgorithm, alg, label)
	}
	if err := ctx.Err(); err != nil {
		return KeyInfo{}, fmt.Errorf("hsm: generate key %q: %w", label, err)
	}

	var info KeyInfo
	err := h.use(func() error {
		h.genMu.Lock()
		defer h.genMu.Unlock()
		found, err := h.p11.FindKeyPairs(nil, []byte(label))
		if err != nil {
			return fmt.Errorf("hsm: look up key %q: %w", label, err)
		}
		if len(found) > 0 {
			return fmt.Errorf("%w: %q in token %q", ErrKeyExists, label, h.token)
		}
		signer, id, err := h.generate(label, alg, o.transport)
		if err != nil {
			return fmt.Errorf("hsm: generate %s key %q: %w", alg, label, err)
		}
		h.signers.Store(label, signer)
		info = KeyInfo{ID: id, Label: label, Algorithm: alg, PublicKey: signer.Public()}
		return nil
	})
	return info, err
}

// KeyOption changes the key GenerateKey makes.
type KeyOption func(*keyOptions)

type keyOptions struct{ transport bool }

// ForKeyTransport makes an RSA key that decrypts as well as signs (CKA_DECRYPT), for a key
// others encrypt to, such as a SCEP RA's. The ledger's CA and signing keys never decrypt.
func ForKeyTransport() KeyOption { return func(o *keyOptions) { o.transport = true } }

// generate asks the token for the key pair, with every protection attribute set explicitly
// rather than left to crypto11's or the token's defaults; decrypt is CKA_DECRYPT.
func (h *HSM) generate(label string, alg KeyAlgorithm, decrypt bool) (crypto11.Signer, []byte, error) {
	id := make([]byte, keyIDLen)
	if _, err := rand.Read(id); err != nil {
		return nil, nil, err
	}
	public, err := crypto11.NewAttributeSetWithIDAndLabel(id, []byte(label))
	if err != nil {
		return nil, nil, err
	}
	private := public.Copy()
	if err := setAll(public, map[crypto11.AttributeType]bool{
		crypto11.CkaToken:   true,
		crypto11.CkaPrivate: false,
		crypto11.CkaVerify:  true,
		crypto11.CkaEncrypt: false,
		crypto11.CkaWrap:    false,
	}); err != nil {
		return nil, nil, err
	}
	if err := setAll(private, map[crypto11.AttributeType]bool{
		crypto11.CkaToken:       true,
		crypto11.CkaPrivate:     true,
		crypto11.CkaSensitive:   true,
		crypto11.CkaExtractable: false,
		crypto11.CkaSign:        true,
		crypto11.CkaDecrypt:     decrypt,
		crypto11.CkaUnwrap:      false,
		crypto11.CkaDerive:      false,
	}); err != nil {
		return nil, nil, err
	}

	var signer crypto11.Signer
	switch alg {
	case ECDSAP256:
		signer, err = h.p11.GenerateECDSAKeyPairWithAttributes(public, private, elliptic.P256())
	case ECDSAP384:
		signer, err = h.p11.GenerateECDSAKeyPairWithAttributes(public, private, elliptic.P384())
	case RSA2048:
		signer, err = h.p11.GenerateRSAKeyPairWithAttributes(public, private, 2048)
	case RSA3072:
		signer, err = h.p11.GenerateRSAKeyPairWithAttributes(public, private, 3072)
	case RSA4096:
		signer, err = h.p11.GenerateRSAKeyPairWithAttributes(public, private, 4096)
	default:
		err = fmt.Errorf("%w: %s", ErrUnsupportedAlgorithm, alg)
	}
	if err != nil {
		return nil, nil, err
	}
	return signer, id, nil
}

func setAll(set crypto11.AttributeSet, values map[crypto11.AttributeType]bool) error {
	for typ, v := range values {
		if err := set.Set(typ, v); err != nil {
			return err
		}
	}
	return nil
}
