package domain

import (
	"crypto"
	"fmt"
	"math/big"
	"slices"
	"time"
)

// Timestamp is the aggregate of one RFC 3161 time-stamp token, rebuilt from its stream: the
// intent that announced its serial, then the token or the void.
type Timestamp struct {
	id      string
	issued  *TimestampIssued
	voided  bool
	signing signings
	version int
}

// NewTimestampFromHistory folds a time-stamp token's stream.
func NewTimestampFromHistory(history []Event) (*Timestamp, error) {
	t := &Timestamp{}
	for _, e := range history {
		if err := t.Apply(e); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// Apply changes the token's state by one of its events, refusing events of another token and
// a second token on one stream.
func (t *Timestamp) Apply(e Event) error {
	id := e.Aggregate().ID
	if t.id != "" && id != t.id {
		return fmt.Errorf("apply %s for time-stamp %q to time-stamp %q", e.EventType(), id, t.id)
	}
	t.id = id
	if t.signing.apply(e) {
		if _, ok := e.(SignatureVoided); ok {
			t.voided = true
		}
		t.version++
		return nil
	}
	issued, ok := e.(TimestampIssued)
	if !ok {
		return fmt.Errorf("apply %s to time-stamp %q: not a time-stamp event", e.EventType(), t.id)
	}
	if t.issued != nil {
		return fmt.Errorf("apply %s to time-stamp %q: a token is issued already", e.EventType(), t.id)
	}
	t.issued = &issued
	t.signing.finish(issued.Serial)
	t.version++
	return nil
}

// TimestampClaim is what a token will assert, decided before the key signs.
type TimestampClaim struct {
	Serial    *big.Int
	Hash      crypto.Hash
	Imprint   []byte
	GenTime   time.Time
	Policy    string
	Nonce     *big.Int
	Requester string
}

// CheckCanTimestamp returns nil when the key is a TSA key (usage timestamp) that can sign at at.
func (k *SigningKey) CheckCanTimestamp(at time.Time) error {
	if err := k.CheckCanSign(at); err != nil {
		return err
	}
	if k.Usage() != UsageTimestamp {
		return invalidf("signing key %s signs %s, not time-stamps", k.ID(), k.Usage())
	}
	return nil
}

// PrepareIssue announces the token: key signs digest (the digest, with hash, of the token's
// signed attributes, which fix its TSTInfo) under the claim's serial. A stream holds one token.
func (t *Timestamp) PrepareIssue(id string, key *SigningKey, c TimestampClaim, digest []byte, hash crypto.Hash, at time.Time) (Prepared, error) {
	if key == nil || !key.Exists() {
		return Prepared{}, notFoundf("signing key does not exist")
	}
	if err := key.CheckCanTimestamp(at); err != nil {
		return Prepared{}, err
	}
	if t.version > 0 {
		return Prepared{}, conflictf("time-stamp %s exists already", t.id)
	}
	if _, ok := digestAlgorithmOf(c.Hash); !ok || len(c.Imprint) != c.Hash.Size() {
		return Prepared{}, invalidf("a %v imprint of %d bytes cannot be time-stamped", c.Hash, len(c.Imprint))
	}
	if err := CheckSerial(c.Serial); err != nil {
		return Prepared{}, err
	}
	p := Prepared{Digest: slices.Clone(digest), Hash: hash, SignerLabel: key.HSMKeyLabel()}
	return t.signing.announce(p, SigningStarted{Subject: id, CAID: key.ID(), Serial: c.Serial.Text(16),
		Purpose: PurposeTimestamp}, at)
}

// RecordIssue decides the record of the token announced for the claim: sig must be key's
// valid signature over digest, and token the SignedData built around it.
func (t *Timestamp) RecordIssue(key *SigningKey, c TimestampClaim, digest, sig, token []byte, hash crypto.Hash, at time.Time) ([]Event, error) {
	serial := c.Serial.Text(16)
	if err := t.signing.check(serial); err != nil {
		return nil, err
	}
	if !verifySignature(key.Certificate().PublicKey, digest, sig, hash) {
		return nil, invalidf("the token's signature does not verify under signing key %s", key.ID())
	}
	alg, _ := digestAlgorithmOf(c.Hash)
	e := TimestampIssued{TimestampID: t.id, KeyID: key.ID(), Serial: serial, CertificateSerial: key.Serial(),
		HashAlgorithm: alg, MessageImprint: slices.Clone(c.Imprint), GenTime: c.GenTime.UTC(), Policy: c.Policy,
		Requester: c.Requester, Token: slices.Clone(token), IssuedAt: at.UTC()}
	if c.Nonce != nil {
		e.Nonce = c.Nonce.String()
	}
	return []Event{e}, nil
}

// Issued is the token, once recorded.
func (t *Timestamp) Issued() (TimestampIssued, bool) {
	if t.issued == nil {
		return TimestampIssued{}, false
	}
	return *t.issued, true
}

// Voided says whether the token's serial was voided: it was never issued.
func (t *Timestamp) Voided() bool { return t.voided }

// digestAlgorithmOf names a hash the ledger accepts for digests and imprints.
func digestAlgorithmOf(h crypto.Hash) (DigestAlgorithm, bool) {
	for name, hash := range digestHashes {
		if hash == h {
			return name, true
		}
	}
	return "", false
}
