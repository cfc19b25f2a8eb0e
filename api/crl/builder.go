package crl

import (
	"errors"
	"fmt"
	"math/big"
	"time"
)

// Params is what changes from one CRL of a CA to the next.
type Params struct {
	// Number is the CRL number, positive and at most 20 octets; it must grow with every CRL.
	Number *big.Int
	// ThisUpdate and NextUpdate bound the CRL's validity; both are encoded to the second.
	ThisUpdate, NextUpdate time.Time
	// FreshestURL, for complete CRLs only, is where the delta CRL is published (Freshest CRL
	// extension); empty means no extension.
	FreshestURL string
}

// Builder holds one CA's revoked entries, each DER-encoded once when added, and builds the CA's
// CRLs from them with one signature each. It also tracks the entries added since the base of
// the delta CRL. A Builder is not safe for concurrent use; Service serializes its use.
type Builder struct {
	key   *signingKey
	all   *entrySet
	delta *entrySet // nil in a partition's Builder, which builds no delta CRL
}

// NewBuilder returns an empty Builder for iss, after checking that iss can sign CRLs.
func NewBuilder(iss Issuer) (*Builder, error) {
	key, err := newSigningKey(iss)
	if err != nil {
		return nil, err
	}
	return &Builder{key: key, all: newEntrySet(), delta: newEntrySet()}, nil
}

// Add encodes e, once, and queues it; a later entry of the same serial replaces it. The next
// build merges the queued entries into the chunks they belong to, so what an entry costs does
// not depend on how many entries the Builder holds (but for binary searches).
func (b *Builder) Add(e Entry) error {
	_, err := b.add(e)
	return err
}

// add is Add returning the entry's encoding, for a partition's Builder to put as it is.
func (b *Builder) add(e Entry) ([]byte, error) {
	der, err := encodeEntry(e)
	if err != nil {
		return nil, err
	}
	b.put(der)
	return der, nil
}

// put queues an encoded entry.
func (b *Builder) put(der []byte) {
	b.all.put(der)
	if b.delta != nil {
		b.delta.put(der)
	}
}

// Len returns how many entries the complete CRL lists.
func (b *Builder) Len() int { return b.all.len() }

// DeltaLen returns how many entries were added since the delta base was last reset.
func (b *Builder) DeltaLen() int { return b.delta.len() }

// ResetDelta makes the complete CRL just built the delta base: the entries added so far are in
// it, so the next delta CRL starts empty.
func (b *Builder) ResetDelta() { b.delta = newEntrySet() }

// Complete builds and signs the complete CRL: every entry, sorted by serial.
func (b *Builder) Complete(p Params) ([]byte, error) {
	return b.build(b.all.segments(), p, tbsExtras{freshestURL: p.FreshestURL})
}

// Delta builds and signs a delta CRL listing the entries added since ResetDelta, with a
// critical Delta CRL Indicator naming base, the number of the complete CRL it applies to.
func (b *Builder) Delta(p Params, base *big.Int) ([]byte, error) {
	if p.FreshestURL != "" {
		return nil, errors.New("delta CRL: a delta CRL must not carry a Freshest CRL extension")
	}
	if err := checkNumber(p.Number); err != nil {
		return nil, fmt.Errorf("delta CRL number: %w", err)
	}
	if err := checkNumber(base); err != nil {
		return nil, fmt.Errorf("delta CRL base: %w", err)
	}
	if base.Cmp(p.Number) >= 0 {
		return nil, fmt.Errorf("delta CRL number %s is not above its base %s", p.Number, base)
	}
	return b.build(b.delta.segments(), p, tbsExtras{deltaBase: base})
}

// BuildPartition builds and signs one partition of a CA's CRL: the given entries, with a
// critical Issuing Distribution Point naming idpURL and onlyContainsUserCerts (RFC 5280 §5.2.5).
// Certificates whose CRL distribution point is idpURL are covered by it. Each partition is its
// own CRL scope, with its own number sequence (see NumberStore).
func BuildPartition(iss Issuer, entries []Entry, idpURL string, p Params) ([]byte, error) {
	if idpURL == "" {
		return nil, errors.New("CRL partition without an issuing distribution point URL")
	}
	b, err := NewBuilder(iss)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if err := b.Add(e); err != nil {
			return nil, fmt.Errorf("CRL partition %s: %w", idpURL, err)
		}
	}
	return b.partition(p, idpURL)
}

// partition builds and signs every entry of b as the partition named idpURL.
func (b *Builder) partition(p Params, idpURL string) ([]byte, error) {
	return b.build(b.all.segments(), p, tbsExtras{idpURL: idpURL, freshestURL: p.FreshestURL})
}

// build encodes the TBSCertList around the cached entry encodings and signs it.
func (b *Builder) build(segments [][]byte, p Params, x tbsExtras) ([]byte, error) {
	if err := checkNumber(p.Number); err != nil {
		return nil, fmt.Errorf("CRL number: %w", err)
	}
	if !encodable(p.ThisUpdate) || !encodable(p.NextUpdate) {
		return nil, fmt.Errorf("CRL update times %s and %s must be in the years 1–9999", p.ThisUpdate, p.NextUpdate)
	}
	if !p.NextUpdate.After(p.ThisUpdate) {
		return nil, fmt.Errorf("CRL next update %s is not after this update %s", p.NextUpdate, p.ThisUpdate)
	}
	for _, u := range []string{x.freshestURL, x.idpURL} {
		if err := checkURL(u); err != nil {
			return nil, err
		}
	}
	prefix, suffix, err := b.key.tbsParts(p, x)
	if err != nil {
		return nil, err
	}
	der, err := b.key.sign(prefix, segments, suffix)
	if err != nil {
		return nil, fmt.Errorf("CRL %s: %w", p.Number, err)
	}
	return der, nil
}

func checkNumber(n *big.Int) error {
	switch {
	case n == nil:
		return errors.New("missing")
	case n.Sign() <= 0:
		return fmt.Errorf("%s is not positive", n)
	case n.BitLen() > maxSerialBits-1:
		return fmt.Errorf("%s is longer than 20 octets", n)
	}
	return nil
}

// checkURL accepts URLs that fit an IA5String; an empty one means absent.
func checkURL(u string) error {
	for i := 0; i < len(u); i++ {
		if u[i] < 0x20 || u[i] > 0x7e {
			return fmt.Errorf("URL %q is not printable ASCII", u)
		}
	}
	return nil
}
