package domain_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

var secretHash = strings.Repeat("ab", 32)

// tokenInput is a valid request for a token of role and team, living 30 days.
func tokenInput(role domain.Role, team string) domain.APITokenInput {
	return domain.APITokenInput{TokenID: uuid.NewString(), Description: "deploy bot", Role: role, Team: team,
		TTL: 30 * 24 * time.Hour, SecretSHA256: secretHash}
}

// issueToken mints a token and returns it folded.
func issueToken(t *testing.T, in domain.APITokenInput, by domain.Actor) *domain.APIToken {
	t.Helper()
	evs, err := (&domain.APIToken{}).Issue(in, by, t0)
	require.NoError(t, err)
	tok, err := domain.NewAPITokenFromHistory(evs)
	require.NoError(t, err)
	return tok
}

func TestIssueAPITokenPolicy(t *testing.T) {
	adminOfSearch := domain.Actor{Subject: "ann", Roles: []domain.Role{domain.RoleAdmin}, Team: "search"}
	tests := []struct {
		name     string
		by       domain.Actor
		in       domain.APITokenInput
		kind     domain.ErrorKind
		override bool
	}{
		{name: "devops mints devops for its team", by: devOps, in: tokenInput(domain.RoleDevOps, "payments")},
		{name: "devops mints viewer", by: devOps, in: tokenInput(domain.RoleViewer, "")},
		{name: "devops may not mint sec_ops", by: devOps, in: tokenInput(domain.RoleSecOps, ""), kind: domain.KindForbidden},
		{name: "devops may not mint for another team", by: devOps, in: tokenInput(domain.RoleDevOps, "search"), kind: domain.KindForbidden},
		{name: "devops token needs a team", by: devOps, in: tokenInput(domain.RoleDevOps, ""), kind: domain.KindInvalid},
		{name: "viewer mints viewer", by: viewer, in: tokenInput(domain.RoleViewer, "")},
		{name: "viewer may not mint devops", by: viewer, in: tokenInput(domain.RoleDevOps, "payments"), kind: domain.KindForbidden},
		{name: "sec_ops mints devops for any team", by: secOps, in: tokenInput(domain.RoleDevOps, "search")},
		{name: "sec_ops mints sec_ops", by: secOps, in: tokenInput(domain.RoleSecOps, "")},
		{name: "sec_ops may not mint admin", by: secOps, in: tokenInput(domain.RoleAdmin, ""), kind: domain.KindForbidden},
		{name: "admin mints admin", by: admin, in: tokenInput(domain.RoleAdmin, "")},
		{name: "admin mints for another team as override", by: adminOfSearch, in: tokenInput(domain.RoleDevOps, "payments"), override: true},
		{name: "no subject", by: domain.Actor{Roles: []domain.Role{domain.RoleAdmin}}, in: tokenInput(domain.RoleViewer, ""), kind: domain.KindForbidden},
		{name: "unknown role", by: admin, in: tokenInput("ROOT", ""), kind: domain.KindInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			evs, err := (&domain.APIToken{}).Issue(tc.in, tc.by, t0)
			if tc.kind != "" {
				assert.Equal(t, tc.kind, domain.KindOf(err), "%v", err)
				return
			}
			require.NoError(t, err)
			require.Len(t, evs, 1)
			issued := evs[0].(domain.APITokenIssued)
			assert.Equal(t, tc.override, issued.Override)
			assert.Equal(t, tc.by.Subject, issued.IssuedBy)
			assert.Equal(t, t0.Add(30*24*time.Hour), issued.ExpiresAt)
		})
	}
}

func TestIssueAPITokenListsEveryInvalidInput(t *testing.T) {
	in := domain.APITokenInput{TokenID: "nope", Role: domain.RoleDevOps, TTL: time.Minute,
		Description: strings.Repeat("x", 201), SecretSHA256: strings.Repeat("AB", 32)}
	_, err := (&domain.APIToken{}).Issue(in, admin, t0)
	require.Equal(t, domain.KindInvalid, domain.KindOf(err))
	var fields []string
	for _, v := range domain.ViolationsOf(err) {
		fields = append(fields, v.Field)
	}
	assert.Equal(t, []string{"token_id", "team", "ttl", "description", "secret_sha256"}, fields)

	for _, ttl := range []time.Duration{time.Hour, 365 * 24 * time.Hour} {
		in := tokenInput(domain.RoleViewer, "")
		in.TTL = ttl
		_, err := (&domain.APIToken{}).Issue(in, admin, t0)
		assert.NoError(t, err, "a lifetime of %s is allowed", ttl)
	}
	in = tokenInput(domain.RoleViewer, "")
	in.TTL = 366 * 24 * time.Hour
	_, err = (&domain.APIToken{}).Issue(in, admin, t0)
	assert.Equal(t, domain.KindInvalid, domain.KindOf(err))
}

func TestAPITokenLifecycle(t *testing.T) {
	in := tokenInput(domain.RoleDevOps, "payments")
	tok := issueToken(t, in, devOps)
	assert.Equal(t, domain.Actor{Subject: "token:" + in.TokenID, Roles: []domain.Role{domain.RoleDevOps}, Team: "payments"}, tok.Actor())
	assert.Equal(t, domain.TokenActive, tok.Status(t0))
	assert.Equal(t, domain.TokenExpired, tok.Status(tok.ExpiresAt()))
	assert.True(t, tok.MatchesSecret(secretHash))
	assert.False(t, tok.MatchesSecret(strings.Repeat("cd", 32)))
	assert.False(t, (&domain.APIToken{}).MatchesSecret(""), "a token never issued matches nothing")

	_, err := tok.Issue(in, devOps, t0)
	assert.Equal(t, domain.KindConflict, domain.KindOf(err), "issued once")
	_, err = tok.Revoke(devOther, t0, "")
	assert.Equal(t, domain.KindForbidden, domain.KindOf(err), "another DEVOPS may not revoke")
	_, err = tok.Revoke(viewer, t0, "")
	assert.Equal(t, domain.KindForbidden, domain.KindOf(err))

	for _, by := range []domain.Actor{devOps, secOps} {
		evs, err := tok.Revoke(by, t0, "rotated")
		require.NoError(t, err)
		assert.False(t, evs[0].(domain.APITokenRevoked).Override, "the issuer and SEC_OPS revoke without override")
	}
	evs, err := tok.Revoke(admin, t0.Add(time.Hour), "leaked")
	require.NoError(t, err)
	assert.True(t, evs[0].(domain.APITokenRevoked).Override, "ADMIN revoking another's token is an override")

	require.NoError(t, tok.Apply(evs[0]))
	assert.Equal(t, domain.TokenRevoked, tok.Status(t0))
	rev, ok := tok.Revocation()
	require.True(t, ok)
	assert.Equal(t, domain.APITokenRevocation{By: "ada", At: t0.Add(time.Hour), Reason: "leaked"}, rev)
	_, err = tok.Revoke(secOps, t0, "")
	assert.Equal(t, domain.KindConflict, domain.KindOf(err))
	assert.Contains(t, err.Error(), "already revoked")
	assert.Error(t, tok.Apply(evs[0]), "revoked once")

	_, err = (&domain.APIToken{}).Revoke(admin, t0, "")
	assert.Equal(t, domain.KindNotFound, domain.KindOf(err))
}

func TestAPITokenEventsSurviveJSON(t *testing.T) {
	issued, err := (&domain.APIToken{}).Issue(tokenInput(domain.RoleDevOps, "payments"), devOps, t0)
	require.NoError(t, err)
	tok, err := domain.NewAPITokenFromHistory(issued)
	require.NoError(t, err)
	revoked, err := tok.Revoke(secOps, t0, "rotated")
	require.NoError(t, err)
	decoded, err := domain.NewAPITokenFromHistory(roundTrip(t, append(issued, revoked...)))
	require.NoError(t, err)
	assert.Equal(t, 2, decoded.Version())
	assert.Equal(t, tok.Actor(), decoded.Actor())
	assert.True(t, decoded.MatchesSecret(secretHash))
	assert.Equal(t, domain.TokenRevoked, decoded.Status(t0))
}
