package domain

import (
	"crypto"
	"crypto/x509"
	"time"
)

// SigningGrace is how long an open signing intent blocks another signature on the same
// stream. Signing takes milliseconds; an intent older than this was interrupted (the process
// died or the store went away after the intent was recorded), and the next intent on the stream
// voids it.
const SigningGrace = 5 * time.Minute

// Prepared is a decision to sign: the events that lead up to the signature, ending with its
// SigningStarted intent, and the complete certificate to sign, or the digest to sign. A
// Prepared with neither signs nothing (a request that waits for approval).
type Prepared struct {
	Events   []Event
	Intent   SigningStarted
	Template *x509.Certificate
	// Digest, with Hash, is what a signing key signs instead of a certificate: the digest of
	// an artifact signature's CMS signed attributes.
	Digest []byte
	Hash   crypto.Hash
	// Parent is the certificate of the signing CA (the template itself for a root).
	Parent *x509.Certificate
	// PublicKey is the key the certificate certifies.
	PublicKey any
	// SignerLabel is the HSM label of the signing key.
	SignerLabel string
}

// Signs says whether the decision signs anything: a certificate or a digest.
func (p Prepared) Signs() bool { return p.Template != nil || p.Digest != nil }

// signings tracks the open signing intents of a stream, shared by the aggregates that sign.
type signings struct{ open []SigningStarted }

// apply folds a signing event; ok is false for any other event.
func (s *signings) apply(e Event) (ok bool) {
	switch e := e.(type) {
	case SigningStarted:
		s.open = append(s.open, e)
	case SignatureVoided:
		s.finish(e.Serial)
	default:
		return false
	}
	return true
}

// finish closes the intent of serial, once its certificate is recorded.
func (s *signings) finish(serial string) {
	for i, o := range s.open {
		if o.Serial == serial {
			s.open = append(s.open[:i:i], s.open[i+1:]...)
			return
		}
	}
}

// check returns a KindConflict error unless serial has an open intent: the signature being
// recorded must be the one announced.
func (s *signings) check(serial string) error {
	for _, o := range s.open {
		if o.Serial == serial {
			return nil
		}
	}
	return conflictf("serial %s has no open signing intent: it was voided or never announced", serial)
}

// start decides a new intent: it voids intents older than SigningGrace and refuses while a
// younger one is open (another command is signing on this stream).
func (s *signings) start(intent SigningStarted, at time.Time) ([]Event, error) {
	for _, o := range s.open {
		if at.Sub(o.StartedAt) < SigningGrace {
			return nil, conflictf("%s %s is being signed (serial %s since %s)", o.Purpose, o.Subject, o.Serial, o.StartedAt.Format(time.RFC3339))
		}
	}
	intent.StartedAt = at.UTC()
	return append(s.stale(at), intent), nil
}

// stale returns the voids of the open intents older than SigningGrace at at.
func (s *signings) stale(at time.Time) []Event {
	var out []Event
	for _, o := range s.open {
		if at.Sub(o.StartedAt) >= SigningGrace {
			out = append(out, o.Void(nil, "signing interrupted", at))
		}
	}
	return out
}

// StaleSignings returns the voids of the signing intents in a certificate's or CA's history
// that are still open and older than SigningGrace at at: signatures interrupted (the process
// died, the store went away) before the ledger recorded them.
func StaleSignings(history []Event, at time.Time) []Event {
	var s signings
	for _, e := range history {
		if sig, ok := SignatureOf(e); ok && !s.apply(e) {
			s.finish(sig.Serial)
		}
	}
	return s.stale(at)
}

// Signature names the signature of a CA key an event is about: the signing CA and the serial
// (for an artifact's signature, the signing key and the signature's id under it).
// Open is true for the intent that announces it (SigningStarted); every other event about it
// closes it, by recording the signed certificate or voiding the serial (Voided).
type Signature struct {
	CAID, Serial string
	Open, Voided bool
}

// SignatureOf returns the signature an event announces, records or voids; ok is false for an
// event about no signature.
func SignatureOf(e Event) (s Signature, ok bool) {
	switch e := e.(type) {
	case SigningStarted:
		return Signature{CAID: e.CAID, Serial: e.Serial, Open: true}, true
	case SignatureVoided:
		return Signature{CAID: e.CAID, Serial: e.Serial, Voided: true}, true
	case CertificateIssued:
		return Signature{CAID: e.CAID, Serial: e.Serial}, true
	case CAResponderCertified:
		return Signature{CAID: e.CAID, Serial: e.Serial}, true
	case CARootCreated:
		return Signature{CAID: e.CAID, Serial: e.Serial}, true
	case CAIntermediateCreated:
		return Signature{CAID: e.ParentID, Serial: e.Serial}, true
	case SigningKeyCreated:
		return Signature{CAID: e.CAID, Serial: e.Serial}, true
	case ArtifactSigned:
		return Signature{CAID: e.KeyID, Serial: e.Serial}, true
	case TimestampIssued:
		return Signature{CAID: e.KeyID, Serial: e.Serial}, true
	}
	return Signature{}, false
}

// announce completes p with the events that start its signing on the stream.
func (s *signings) announce(p Prepared, intent SigningStarted, at time.Time) (Prepared, error) {
	started, err := s.start(intent, at)
	if err != nil {
		return Prepared{}, err
	}
	p.Events, p.Intent = started, started[len(started)-1].(SigningStarted)
	return p, nil
}
