package reports_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// ledger appends synthetic PKI events straight to an event store, as the commands would
// record them, including certificates the commands refuse to make (RSA-1024, SHA-1), which is
// what the compliance rules look for.
type ledger struct {
	t      testing.TB
	store  *eventstore.Store
	signer crypto.Signer
	issuer *x509.Certificate
	keys   map[string]crypto.Signer // subject keys by kind
	mu     sync.Mutex
	serial map[uuid.UUID]string // issued certificates' serials
}

func newLedger(t testing.TB, store *eventstore.Store) *ledger {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	weak, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	return &ledger{t: t, store: store, signer: rsaKey, issuer: &x509.Certificate{SerialNumber: big.NewInt(1),
		Subject: pkix.Name{CommonName: "Synthetic CA"}}, keys: map[string]crypto.Signer{"rsa": rsaKey, "weak": weak, "ec": ec},
		serial: map[uuid.UUID]string{}}
}

// ca appends a root CA's creation.
func (l *ledger) ca(name string) uuid.UUID {
	id := uuid.New()
	at := time.Now().UTC()
	l.append(events.StreamName(events.CategoryCA, id), domain.CARootCreated{CADetails: domain.CADetails{CAID: id.String(), Name: name,
		CommonName: name, KeyType: domain.KeyECDSAP256, HSMKeyLabel: "k-" + name, Serial: "1", NotBefore: at,
		NotAfter: at.AddDate(10, 0, 0), CertificateDER: []byte{1}, CreatedAt: at}})
	return id
}

// profile appends a profile's definition (update: its update) and returns its id.
func (l *ledger) profile(id uuid.UUID, name string, maxDays int, wildcards, update bool) uuid.UUID {
	spec := domain.ProfileSpec{Name: name, AllowedDomains: []string{"example.com"}, AllowWildcards: wildcards,
		KeyTypes: []domain.KeyType{domain.KeyECDSAP256}, MaxValidityDays: maxDays}
	var e domain.Event = domain.ProfileDefined{ProfileID: id.String(), Spec: spec, DefinedAt: time.Now().UTC()}
	if update {
		e = domain.ProfileUpdated{ProfileID: id.String(), Spec: spec, UpdatedAt: time.Now().UTC()}
	}
	l.append(events.StreamName(events.CategoryProfile, id), e)
	return id
}

// cert describes a synthetic certificate.
type cert struct {
	ca                uuid.UUID
	team, owner, prof string
	key               string // "rsa", "weak" (RSA-1024) or "ec"
	sha1              bool
	name              string
	notBefore         time.Time
	days              int // validity
	requestedAt       time.Time
	issuedAt          time.Time
	then              string // "", "revoke", "renew", "expire", "pending", "approved"
}

// certificate appends the certificate's events and returns its id.
func (l *ledger) certificate(c cert) uuid.UUID {
	id := uuid.New()
	stream := events.StreamName(events.CategoryCertificate, id)
	if c.requestedAt.IsZero() {
		c.requestedAt = c.notBefore
	}
	if c.issuedAt.IsZero() {
		c.issuedAt = c.notBefore
	}
	req := domain.CertificateRequested{CertificateID: id.String(), CAID: c.ca.String(), ProfileID: uuid.NewString(),
		ProfileName: c.prof, Team: c.team, Owner: c.owner, RequestedBy: "dev@example.com", CommonName: c.name,
		DNSNames: []string{c.name}, KeyType: domain.KeyECDSAP256, ValidityDays: c.days, RequestedAt: c.requestedAt}
	evs := []domain.Event{req}
	if c.then == "pending" {
		l.append(stream, evs...)
		return id
	}
	evs = append(evs, domain.CertificateApproved{CertificateID: id.String(), Auto: true, ApprovedAt: c.requestedAt})
	if c.then == "approved" {
		l.append(stream, evs...)
		return id
	}
	serial := new(big.Int).SetBytes(id[:8])
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: c.name}, DNSNames: []string{c.name},
		NotBefore: c.notBefore, NotAfter: c.notBefore.AddDate(0, 0, c.days), ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	if c.sha1 {
		tmpl.SignatureAlgorithm = x509.SHA1WithRSA
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, l.issuer, l.keys[c.key].Public(), l.signer)
	require.NoError(l.t, err)
	evs = append(evs, domain.CertificateIssued{CertificateID: id.String(), CAID: c.ca.String(), Serial: serial.Text(16),
		CertificateDER: der, NotBefore: tmpl.NotBefore, NotAfter: tmpl.NotAfter, IssuedAt: c.issuedAt})
	l.mu.Lock()
	l.serial[id] = serial.Text(16)
	l.mu.Unlock()
	switch c.then {
	case "revoke":
		evs = append(evs, domain.CertificateRevoked{CertificateID: id.String(), CAID: c.ca.String(), Serial: serial.Text(16),
			Reason: domain.ReasonSuperseded, RevokedAt: c.issuedAt.Add(time.Hour)})
	case "renew":
		evs = append(evs, domain.CertificateRenewed{CertificateID: id.String(), SupersededBy: uuid.NewString(), RenewedAt: c.issuedAt.Add(time.Hour)})
	case "expire":
		evs = append(evs, domain.CertificateExpired{CertificateID: id.String(), ExpiredAt: tmpl.NotAfter})
	}
	l.append(stream, evs...)
	return id
}

// append appends events to a new stream.
func (l *ledger) append(stream string, decided ...domain.Event) {
	l.t.Helper()
	out := make([]events.Proposed, len(decided))
	for i, d := range decided {
		data, err := json.Marshal(d)
		require.NoError(l.t, err)
		out[i] = events.Proposed{ID: uuid.New(), Type: d.EventType(), Data: data, Metadata: events.Metadata{
			SchemaVersion: domain.SchemaVersion, OccurredAt: time.Now().UTC(), Actor: events.Actor{Subject: "test"}}}
	}
	_, head, err := l.store.LoadLast(context.Background(), stream)
	require.NoError(l.t, err)
	_, err = l.store.Append(context.Background(), stream, head, out)
	require.NoError(l.t, err)
}

// revoke appends the revocation of an issued certificate.
func (l *ledger) revoke(ca, id uuid.UUID) {
	l.append(events.StreamName(events.CategoryCertificate, id), domain.CertificateRevoked{CertificateID: id.String(),
		CAID: ca.String(), Serial: l.serialOf(id), Reason: domain.ReasonKeyCompromise, RevokedAt: time.Now().UTC()})
}

func (l *ledger) serialOf(id uuid.UUID) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.serial[id]
}
