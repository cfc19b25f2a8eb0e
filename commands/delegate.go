package commands

import (
	"context"
	"crypto"
	"crypto/rand"
	"math/big"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// certifyDelegate signs the certificate of pub, the key under label that acts for CA caID (its
// OCSP responder, its SCEP RA), with the CA's key under the signing rule, and records it:
// prepare is the CA's decision that makes the template and announces the serial, record the
// one that certifies the signed certificate.
func (s caSigner) certifyDelegate(ctx context.Context, commandID, caID uuid.UUID, caller Caller, pub crypto.PublicKey, label string,
	prepare func(ca *domain.CA, pub crypto.PublicKey, serial *big.Int, at time.Time) (domain.Prepared, error),
	record func(ca *domain.CA, der []byte, label string, at time.Time) ([]domain.Event, error)) (Result, error) {
	res, _, err := s.sign(ctx, signing{commandID: commandID, stream: events.StreamName(events.CategoryCA, caID), caller: caller,
		prepare: func(past []domain.Event, at time.Time) (domain.Prepared, error) {
			ca, err := existingCA(past, caID)
			if err != nil {
				return domain.Prepared{}, err
			}
			serial, err := domain.NewSerial(rand.Reader)
			if err != nil {
				return domain.Prepared{}, err
			}
			return prepare(ca, pub, serial, at)
		},
		record: func(past []domain.Event, der []byte, at time.Time) ([]domain.Event, error) {
			ca, err := existingCA(past, caID)
			if err != nil {
				return nil, err
			}
			return record(ca, der, label, at)
		},
	})
	return res, err
}
