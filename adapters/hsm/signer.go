package hsm

import (
	"crypto"
	"fmt"

	"github.com/ThalesGroup/crypto11"
)

// Signer returns the private key labelled label as a crypto.Signer, for x509.CreateCertificate,
// x509.CreateRevocationList, ocsp.CreateResponse and the like. An unknown label is
// ErrKeyNotFound. The signer is looked up in the token once and then cached, so repeated calls
// (one per OCSP response, say) cost a map lookup. ECDSA signatures are ASN.1 DER; RSA signs
// PKCS#1 v1.5, or PSS with an explicit salt length (not rsa.PSSSaltLengthAuto).
// Its signatures are counted (see Signatures).
func (h *HSM) Signer(label string) (crypto.Signer, error) {
	s, err := h.signer(label)
	if err != nil {
		return nil, err
	}
	return h.counted(label, s), nil
}

func (h *HSM) signer(label string) (crypto11.Signer, error) {
	if h.closed.Load() {
		return nil, ErrClosed
	}
	if s, ok := h.signers.Load(label); ok {
		return s.(crypto11.Signer), nil
	}
	var found crypto11.Signer
	err := h.use(func() error {
		if label == "" {
			return fmt.Errorf("%w: empty label", ErrKeyNotFound)
		}
		// FindKeyPairs, not FindKeyPair: depending on the crypto11 version the latter returns
		// (nil, nil) or an untyped error for an unknown label.
		pairs, err := h.p11.FindKeyPairs(nil, []byte(label))
		if err != nil {
			return fmt.Errorf("hsm: look up key %q: %w", label, err)
		}
		switch {
		case len(pairs) == 0 || pairs[0] == nil:
			return fmt.Errorf("%w: %q in token %q", ErrKeyNotFound, label, h.token)
		case len(pairs) > 1:
			return fmt.Errorf("hsm: %d key pairs are labelled %q in token %q; labels must be unique", len(pairs), label, h.token)
		}
		s, _ := h.signers.LoadOrStore(label, pairs[0])
		found = s.(crypto11.Signer)
		return nil
	})
	return found, err
}

// Key describes the key pair labelled label (ErrKeyNotFound if there is none).
func (h *HSM) Key(label string) (KeyInfo, error) {
	s, err := h.signer(label)
	if err != nil {
		return KeyInfo{}, err
	}
	alg, err := algorithmOf(s.Public())
	if err != nil {
		return KeyInfo{}, fmt.Errorf("key %q: %w", label, err)
	}
	var id []byte
	err = h.use(func() error {
		attr, err := h.p11.GetAttribute(s, crypto11.CkaId)
		if err != nil {
			return fmt.Errorf("hsm: read CKA_ID of key %q: %w", label, err)
		}
		if attr != nil {
			id = attr.Value
		}
		return nil
	})
	return KeyInfo{ID: id, Label: label, Algorithm: alg, PublicKey: s.Public()}, err
}

// Protection is what the token says about a private key's protection, read back from its
// PKCS#11 attributes.
type Protection struct {
	Token            bool // CKA_TOKEN: stored in the token, not a session object
	Private          bool // CKA_PRIVATE: only visible after login
	Sensitive        bool // CKA_SENSITIVE: key material cannot be read
	Extractable      bool // CKA_EXTRACTABLE: can be wrapped out of the token
	AlwaysSensitive  bool // CKA_ALWAYS_SENSITIVE
	NeverExtractable bool // CKA_NEVER_EXTRACTABLE
	Local            bool // CKA_LOCAL: generated inside the token
}

// KeyProtection reads the protection attributes of the private key labelled label.
func (h *HSM) KeyProtection(label string) (Protection, error) {
	s, err := h.signer(label)
	if err != nil {
		return Protection{}, err
	}
	var p Protection
	err = h.use(func() error {
		fields := map[crypto11.AttributeType]*bool{
			crypto11.CkaToken:            &p.Token,
			crypto11.CkaPrivate:          &p.Private,
			crypto11.CkaSensitive:        &p.Sensitive,
			crypto11.CkaExtractable:      &p.Extractable,
			crypto11.CkaAlwaysSensitive:  &p.AlwaysSensitive,
			crypto11.CkaNeverExtractable: &p.NeverExtractable,
			crypto11.CkaLocal:            &p.Local,
		}
		types := make([]crypto11.AttributeType, 0, len(fields))
		for typ := range fields {
			types = append(types, typ)
		}
		attrs, err := h.p11.GetAttributes(s, types)
		if err != nil {
			return fmt.Errorf("hsm: read protection attributes of key %q: %w", label, err)
		}
		for typ, field := range fields {
			attr := attrs[typ]
			*field = attr != nil && len(attr.Value) > 0 && attr.Value[0] != 0
		}
		return nil
	})
	return p, err
}
