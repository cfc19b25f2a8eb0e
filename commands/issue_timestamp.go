package commands

import (
	"context"
	"crypto"
	"crypto/rand"
	"encoding/asn1"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/domain/cms"
	"github.com/certledger/certledger/domain/tsp"
	"github.com/certledger/certledger/events"
)

// IssueTimestamp answers an RFC 3161 TimeStampReq (DER) with a token signed by a TSA key:
// a signing key created with usage timestamp.
type IssueTimestamp struct {
	CommandID   uuid.UUID
	TimestampID uuid.UUID
	KeyID       uuid.UUID
	Request     []byte
}

// AnonymousSubject is the actor the events of a time-stamp record when the client did not
// authenticate, as RFC 3161 clients do not: the caller's address and agent still go with it.
const AnonymousSubject = "anonymous"

// TimestampAnswer is the TimeStampResp to send (granted) and the token in it.
type TimestampAnswer struct {
	Result
	Response, Token []byte
}

// IssueTimestampHandler issues time-stamp tokens under the signing rule, one stream each.
type IssueTimestampHandler struct {
	caSigner
	policy asn1.ObjectIdentifier
}

// NewIssueTimestampHandler is the handler; keys holds the TSA keys, policy is the TSA's
// policy OID, which every token names and a request may ask for.
func NewIssueTimestampHandler(core *Core, keys KeyStore, policy asn1.ObjectIdentifier) *IssueTimestampHandler {
	return &IssueTimestampHandler{caSigner{core, keys}, policy}
}

// Handle checks the request and the key, appends the intent naming the token's serial, has
// the key sign once and records TimestampIssued (or voids the serial). A refusal is a
// *tsp.Failure, the RFC 3161 answer to send, and appends nothing. A caller without a
// subject is AnonymousSubject, and the token records no requester.
func (h *IssueTimestampHandler) Handle(ctx context.Context, cmd IssueTimestamp, caller Caller) (TimestampAnswer, error) {
	req, err := tsp.ParseRequest(cmd.Request, h.policy)
	if err != nil {
		return TimestampAnswer{}, err
	}
	requester := caller.Actor.Subject
	if requester == "" {
		caller.Actor = domain.Actor{Subject: AnonymousSubject}
	}
	var (
		key      *domain.SigningKey
		claim    domain.TimestampClaim
		sd       *cms.Detached
		prepared domain.Prepared
		token    []byte
	)
	stream := events.StreamName(events.CategoryTimestamp, cmd.TimestampID)
	res, _, err := h.sign(ctx, signing{commandID: cmd.CommandID, caller: caller, stream: stream,
		prepare: func(past []domain.Event, at time.Time) (domain.Prepared, error) {
			t, err := domain.NewTimestampFromHistory(past)
			if err != nil {
				return domain.Prepared{}, err
			}
			if key, err = h.loadSigningKey(ctx, cmd.KeyID); err != nil {
				return domain.Prepared{}, err
			}
			if err := key.CheckCanTimestamp(at); err != nil {
				return domain.Prepared{}, err
			}
			serial, err := domain.NewSerial(rand.Reader)
			if err != nil {
				return domain.Prepared{}, err
			}
			claim = domain.TimestampClaim{Serial: serial, Hash: req.Hash, Imprint: req.Imprint, GenTime: at.UTC().Truncate(time.Second),
				Policy: h.policy.String(), Nonce: req.Nonce, Requester: requester}
			if sd, err = h.token(key, req, claim); err != nil {
				return domain.Prepared{}, err
			}
			prepared, err = t.PrepareIssue(cmd.TimestampID.String(), key, claim, sd.Digest(), sd.Hash(), at)
			return prepared, err
		},
		record: func(past []domain.Event, sig []byte, at time.Time) ([]domain.Event, error) {
			t, err := domain.NewTimestampFromHistory(past)
			if err != nil {
				return nil, err
			}
			if token, err = sd.Finish(sig); err != nil {
				return nil, fmt.Errorf("encode the token of time-stamp %s: %w", cmd.TimestampID, err)
			}
			return t.RecordIssue(key, claim, prepared.Digest, sig, token, prepared.Hash, at)
		},
	})
	if err != nil {
		return TimestampAnswer{Result: res}, refusal(err)
	}
	if res.Replayed {
		if token, err = h.issuedToken(ctx, stream); err != nil {
			return TimestampAnswer{Result: res}, err
		}
	}
	resp, err := tsp.Granted(token)
	return TimestampAnswer{Result: res, Response: resp, Token: token}, err
}

// token fixes the TSTInfo of claim and the signed attributes of the SignedData around it.
func (h *IssueTimestampHandler) token(key *domain.SigningKey, req tsp.Request, c domain.TimestampClaim) (*cms.Detached, error) {
	info, err := tsp.TSTInfo{Policy: h.policy, Hash: c.Hash, Imprint: c.Imprint, Serial: c.Serial, GenTime: c.GenTime,
		Nonce: c.Nonce, TSA: key.Certificate()}.Marshal()
	if err != nil {
		return nil, err
	}
	essCert, err := cms.SigningCertificateV2(key.Certificate())
	if err != nil {
		return nil, err
	}
	hash := crypto.SHA256
	if key.KeyType() == domain.KeyECDSAP384 {
		hash = crypto.SHA384
	}
	sd, err := cms.NewEncapsulated(cms.OIDTSTInfo, info, hash, key.Certificate(), key.Chain(), req.CertReq, c.GenTime, essCert)
	if err != nil {
		return nil, fmt.Errorf("signed attributes of time-stamp serial %x: %w", c.Serial, err)
	}
	return sd, nil
}

// issuedToken is the token a stream recorded, for a command run again.
func (h *IssueTimestampHandler) issuedToken(ctx context.Context, stream string) ([]byte, error) {
	past, err := h.load(ctx, stream)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", stream, err)
	}
	t, err := domain.NewTimestampFromHistory(past)
	if err != nil {
		return nil, err
	}
	issued, ok := t.Issued()
	if !ok {
		return nil, &domain.Error{Kind: domain.KindConflict, Message: stream + " holds no issued token: it was voided"}
	}
	return issued.Token, nil
}

// refusal turns the domain's refusals of a time-stamp into the RFC 3161 failure to answer
// with: a key that does not exist or is no TSA key is the client's bad request, a TSA key
// that cannot sign now (disabled, revoked, expired) is the TSA's failure. Other errors (the
// store, the HSM) stay as they are; the caller answers systemFailure.
func refusal(err error) error {
	var de *domain.Error
	if !errors.As(err, &de) {
		return err
	}
	info := tsp.SystemFailure
	if de.Kind == domain.KindNotFound || de.Kind == domain.KindInvalid {
		info = tsp.BadRequest
	}
	return errors.Join(&tsp.Failure{Info: info, Reason: de.Message}, err)
}
