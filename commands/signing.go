package commands

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
)

// signing is one signature of a CA key (or of a signing key, over an artifact's digest) under
// the ledger's rule (see the package doc): the
// intent is appended before the key signs, the key signs once, outside any retried decision,
// and the signed certificate is recorded or its serial voided.
type signing struct {
	commandID uuid.UUID
	stream    string
	caller    Caller
	// prepare decides on the stream as loaded: every check of the command, and the events up to
	// and including the signature's intent. It may run again after a conflict, so it must have no
	// side effects. A Prepared without a template signs nothing.
	prepare func(past []domain.Event, at time.Time) (domain.Prepared, error)
	// record decides, on the stream as reloaded, the events that record the signed certificate
	// (der), or for a digest the raw signature.
	record func(past []domain.Event, der []byte, at time.Time) ([]domain.Event, error)
}

// caSigner is the core with the HSM: what every command that signs with a CA's key runs on.
// Its sign is the one implementation of the signing rule.
type caSigner struct {
	*Core
	keys KeyStore
}

// sign runs a signing and says whether it signed. A command run again after its intent was
// appended answers as replayed and signs nothing more.
func (h caSigner) sign(ctx context.Context, s signing) (Result, bool, error) {
	var p domain.Prepared
	announced, seen, err := h.decideOn(ctx, s.commandID, s.stream, s.caller, nil, func(past []domain.Event, at time.Time) ([]domain.Event, error) {
		var err error
		p, err = s.prepare(past, at)
		return p.Events, err
	})
	if err != nil || announced.Replayed || !p.Signs() {
		return announced, false, err
	}
	der, err := h.signPrepared(p)
	if err != nil {
		return announced, false, errors.Join(err, h.void(ctx, s, p.Intent, nil, "signing failed"))
	}
	step := uuid.NewSHA1(s.commandID, []byte("record-signature"))
	// The record decides first on the stream as the intent left it: no reload unless another
	// writer moved the stream on in between.
	recorded, _, err := h.decideOn(ctx, step, s.stream, s.caller.unconditional(), &seen, func(past []domain.Event, at time.Time) ([]domain.Event, error) {
		return s.record(past, der, at)
	})
	if err != nil {
		err = fmt.Errorf("record the signed %s of %s, serial %s: %w", p.Intent.Purpose, p.Intent.Subject, p.Intent.Serial, err)
		return announced, false, errors.Join(err, h.void(ctx, s, p.Intent, der, err.Error()))
	}
	return Result{Head: recorded.Head, Appended: announced.Appended + recorded.Appended}, true, nil
}

// signPrepared makes the one signature of a prepared certificate, or of a prepared digest (an
// artifact's), in the HSM.
func (h caSigner) signPrepared(p domain.Prepared) ([]byte, error) {
	signer, err := h.keys.Signer(p.SignerLabel)
	if err != nil {
		return nil, fmt.Errorf("signing key %s: %w", p.SignerLabel, err)
	}
	if p.Template == nil {
		sig, err := signer.Sign(rand.Reader, p.Digest, p.Hash)
		if err != nil {
			return nil, fmt.Errorf("sign the %s of %s in the HSM: %w", p.Intent.Purpose, p.Intent.Subject, err)
		}
		return sig, nil
	}
	der, err := x509.CreateCertificate(rand.Reader, p.Template, p.Parent, p.PublicKey, signer)
	if err != nil {
		return nil, fmt.Errorf("sign the %s of %s in the HSM: %w", p.Intent.Purpose, p.Intent.Subject, err)
	}
	return der, nil
}

// void marks an announced serial never valid after its signature could not be recorded. When
// even that fails the intent stays open on the stream, which is the record of the signature;
// the next signing on the stream voids it once it is stale.
func (h caSigner) void(ctx context.Context, s signing, intent domain.SigningStarted, der []byte, reason string) error {
	step := uuid.NewSHA1(s.commandID, []byte("void-signature"))
	_, err := h.decide(ctx, step, s.stream, s.caller.unconditional(), func(past []domain.Event, at time.Time) ([]domain.Event, error) {
		if voided(past, intent.Serial) {
			return nil, errAlreadyVoided
		}
		return []domain.Event{intent.Void(der, reason, at)}, nil
	})
	if err != nil && !errors.Is(err, errAlreadyVoided) {
		return fmt.Errorf("void serial %s of %s (its intent stays open): %w", intent.Serial, intent.Subject, err)
	}
	return nil
}

// errAlreadyVoided stops a void whose serial another command voided first.
var errAlreadyVoided = errors.New("the serial is voided already")

// voided says whether a stream's history voids serial.
func voided(past []domain.Event, serial string) bool {
	for _, e := range past {
		if v, ok := e.(domain.SignatureVoided); ok && v.Serial == serial {
			return true
		}
	}
	return false
}
