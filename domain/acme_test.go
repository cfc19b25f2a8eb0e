package domain_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

func acmeInput(p *domain.Profile, names ...string) domain.ACMEOrderInput {
	in := domain.ACMEOrderInput{OrderID: uuid.NewString(), AccountID: uuid.NewString(), Provisioner: "web",
		CAID: uuid.NewString(), Team: "payments", Profile: p, Challenges: []string{"http-01", "dns-01"}}
	for i, n := range names {
		in.Identifiers = append(in.Identifiers, domain.ACMEIdentifier{Type: "dns", Value: n})
		in.Tokens = append(in.Tokens, "token"+string(rune('a'+i)))
	}
	return in
}

func TestACMEOrderRefusesIdentifiersOutsideTheProfile(t *testing.T) {
	p := defineProfile(t, webSpec("payments", false))
	_, err := (&domain.ACMEOrder{}).CreateOrder(acmeInput(p, "www.example.com", "evil.org"), devOps, t0)
	require.True(t, domain.IsKind(err, domain.KindPolicy), "%v", err)
	assert.Equal(t, []string{"dns_names/domain_not_allowed"}, kinds(domain.ViolationsOf(err)))

	_, err = (&domain.ACMEOrder{}).CreateOrder(acmeInput(p, "www.example.com"), devOther, t0)
	assert.True(t, domain.IsKind(err, domain.KindForbidden), "another team's actor: %v", err)
}

func TestACMEOrderGoesPendingReadyProcessing(t *testing.T) {
	p := defineProfile(t, webSpec("payments", false))
	evs, err := (&domain.ACMEOrder{}).CreateOrder(acmeInput(p, "WWW.example.com", "api.example.com", "www.example.com"), devOps, t0)
	require.NoError(t, err)
	o, err := domain.NewACMEOrderFromHistory(evs)
	require.NoError(t, err)
	require.Len(t, o.Created().Authorizations, 2, "names are lower-cased and deduplicated")
	assert.Equal(t, domain.ACMEPending, o.Status())

	csr, _ := dnsCSR(t, "www.example.com", "www.example.com", "api.example.com")
	assert.True(t, domain.IsKind(o.CheckCSR(csr, t0), domain.KindConflict), "not ready yet")
	for i := range 2 {
		ev, err := o.RecordChallenge(domain.ChallengeResult{Authorization: i, Challenge: "http-01", Attempts: 1}, t0)
		require.NoError(t, err)
		require.NoError(t, o.Apply(ev[0]))
	}
	_, err = o.RecordChallenge(domain.ChallengeResult{Authorization: 0, Challenge: "http-01"}, t0)
	assert.True(t, domain.IsKind(err, domain.KindConflict), "a result once")
	assert.Equal(t, domain.ACMEReady, o.Status())

	other, _ := dnsCSR(t, "www.example.com", "www.example.com")
	assert.True(t, domain.IsKind(o.CheckCSR(other, t0), domain.KindInvalid), "a CSR must name every identifier")
	require.NoError(t, o.CheckCSR(csr, t0))
	assert.True(t, domain.IsKind(o.CheckCSR(csr, t0.Add(8*24*time.Hour)), domain.KindConflict), "expired")
	ev, err := o.Finalize(uuid.NewString(), t0)
	require.NoError(t, err)
	require.NoError(t, o.Apply(ev[0]))
	assert.Equal(t, domain.ACMEProcessing, o.Status())
}

func TestACMEOrderIsInvalidAfterAFailedChallenge(t *testing.T) {
	p := defineProfile(t, webSpec("payments", false))
	evs, err := (&domain.ACMEOrder{}).CreateOrder(acmeInput(p, "www.example.com"), devOps, t0)
	require.NoError(t, err)
	o, err := domain.NewACMEOrderFromHistory(evs)
	require.NoError(t, err)
	ev, err := o.RecordChallenge(domain.ChallengeResult{Challenge: "http-01", ProblemType: "connection", Detail: "refused"}, t0)
	require.NoError(t, err)
	require.NoError(t, o.Apply(ev[0]))
	assert.Equal(t, domain.ACMEInvalid, o.Status())
	assert.Equal(t, domain.ACMEInvalid, o.AuthorizationStatus(0))
}

func TestACMEAccountIsBoundToATeamItMayRequestIn(t *testing.T) {
	in := domain.ACMEAccountInput{AccountID: uuid.NewString(), Provisioner: "web", Team: "payments",
		Thumbprint: "tp", KeyJWK: []byte(`{}`), Contact: []string{"mailto:a@example.com"}}
	_, err := (&domain.ACMEAccount{}).Register(in, devOther, t0)
	assert.True(t, domain.IsKind(err, domain.KindForbidden), "%v", err)
	evs, err := (&domain.ACMEAccount{}).Register(in, devOps, t0)
	require.NoError(t, err)
	a, err := domain.NewACMEAccountFromHistory(evs)
	require.NoError(t, err)
	assert.Equal(t, "payments", a.Team())
	in.Contact = []string{"tel:123"}
	_, err = (&domain.ACMEAccount{}).Register(in, devOps, t0)
	assert.True(t, domain.IsKind(err, domain.KindInvalid), "%v", err)
}
