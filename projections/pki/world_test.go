package pki_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/projections"
)

// world is a small PKI made with real commands while the projection follows it live: a root,
// two intermediates A and B (B revoked), the profiles web (updated once) and pay (manual
// approval), and certificates in every state.
type world struct {
	env
	runner               *projections.Runner
	stop                 func()
	root, interA, interB uuid.UUID
	web, pay             string
	// Under A, team web: www (issued), api (revoked), shop (superseded by shop2), expired.
	// Under A, team payments: pay1 (approved by hand, issued), rejected. Under B: onB.
	www, api, shop, shop2, expired, pay1, rejected, onB uuid.UUID
	// bulk are 12 more issued web certificates under A, for pagination.
	bulk []uuid.UUID
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	e := newEnv(t)
	w := &world{env: e, runner: e.runner(t)}
	w.stop = start(t, w.runner)

	w.root = e.createCA(t, uuid.Nil, domain.KeyECDSAP384)
	w.interA = e.createCA(t, w.root, domain.KeyECDSAP256)
	w.interB = e.createCA(t, w.root, domain.KeyECDSAP256)
	w.web, w.pay = "web-"+uuid.NewString()[:8], "pay-"+uuid.NewString()[:8]
	e.defineProfile(t, w.web, "web", false, false)
	e.defineProfile(t, w.pay, "payments", true, false)
	e.defineProfile(t, w.web, "web", false, true)
	e.waitLive(t, w.runner)

	w.www = e.request(t, w.interA, w.web, "web", devops, "www.example.com")
	w.api = e.request(t, w.interA, w.web, "web", devops, "api.example.com", "mail.example.com")
	w.shop = e.request(t, w.interA, w.web, "web", devops, "shop.example.com")
	w.expired = e.request(t, w.interA, w.web, "web", devops, "gone.example.com")
	w.pay1 = e.request(t, w.interA, w.pay, "payments", secops, "pay.example.com")
	w.rejected = e.request(t, w.interA, w.pay, "payments", secops, "old.example.com")
	w.onB = e.request(t, w.interB, w.web, "web", devops, "b.example.com")
	for i := range 12 {
		w.bulk = append(w.bulk, e.request(t, w.interA, w.web, "web", devops, fmt.Sprintf("host-%02d.example.com", i)))
	}
	e.waitLive(t, w.runner)

	// Later events change rows that earlier transactions wrote.
	_, err := e.h.Approve.Handle(ctx, commands.Decision{CommandID: uuid.New(), CertificateID: w.pay1, Reason: "checked"}, secops2)
	require.NoError(t, err)
	_, err = e.h.Reject.Handle(ctx, commands.Decision{CommandID: uuid.New(), CertificateID: w.rejected, Reason: "no"}, secops2)
	require.NoError(t, err)
	compromised := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
	_, err = e.h.Revoke.Handle(ctx, commands.Decision{CommandID: uuid.New(), CertificateID: w.api, Reason: "keyCompromise",
		InvalidityDate: &compromised}, devops)
	require.NoError(t, err)
	w.shop2 = uuid.New()
	_, err = e.h.RenewCertificate.Handle(ctx, commands.RenewCertificate{CommandID: uuid.New(), CertificateID: w.shop,
		NewCertificateID: w.shop2, CSRPEM: csrFor(t, "shop.example.com")}, devops)
	require.NoError(t, err)
	e.decide(t, events.StreamName(events.CategoryCertificate, w.expired), func(past []domain.Event) ([]domain.Event, error) {
		cert, err := domain.NewCertificateFromHistory(past)
		if err != nil {
			return nil, err
		}
		return cert.Expire(cert.NotAfter().Add(time.Second))
	})
	e.decide(t, events.StreamName(events.CategoryCA, w.interB), func(past []domain.Event) ([]domain.Event, error) {
		ca, err := domain.NewCAFromHistory(past)
		if err != nil {
			return nil, err
		}
		return ca.Revoke(domain.ReasonCACompromise, nil, secops.Actor, time.Now())
	})
	e.waitLive(t, w.runner)
	return w
}

// certificate folds a certificate's stream, to compare the read model with the ledger.
func (w *world) certificate(t *testing.T, id uuid.UUID) *domain.Certificate {
	t.Helper()
	cert, err := w.h.Queries.Certificate(context.Background(), id)
	require.NoError(t, err)
	return cert
}

// ca folds a CA's stream.
func (w *world) ca(t *testing.T, id uuid.UUID) *domain.CA {
	t.Helper()
	ca, err := w.h.Queries.CA(context.Background(), id)
	require.NoError(t, err)
	return ca
}

// dump returns every table of the read model as text, ordered by key, to compare read models.
func (w *world) dump(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for table, key := range map[string]string{"cas": "id", "profiles": "id", "certificates": "id",
		"revocations": "ca_id, serial", "signing_intents": "ca_id, serial"} {
		var rows []string
		err := w.pool.QueryRow(context.Background(), "SELECT coalesce(array_agg(t::text ORDER BY "+key+
			"), '{}') FROM rm_pki."+table+" t").Scan(&rows)
		require.NoError(t, err)
		out[table] = rows
	}
	return out
}
