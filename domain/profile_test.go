package domain_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

func TestNewProfileNormalisesSpec(t *testing.T) {
	spec := webSpec("payments", true)
	spec.AllowedDomains = []string{"Example.COM.", "example.com", "corp.example.net"}
	p, err := domain.NewProfile(spec)
	require.NoError(t, err)

	assert.True(t, p.Defined())
	assert.Equal(t, "web-payments", p.Name())
	assert.Equal(t, "payments", p.Team())
	assert.True(t, p.RequiresApproval())
	assert.Equal(t, 90, p.MaxValidityDays())
	assert.Equal(t, []string{"example.com", "corp.example.net"}, p.Spec().AllowedDomains)
	assert.Empty(t, p.ID(), "NewProfile makes a profile without id")
}

func TestNewProfileListsEveryProblem(t *testing.T) {
	spec := domain.ProfileSpec{
		Name:              "bad name!",
		AllowedDomains:    []string{"*.example.com", "ok.example.com", "exa mple.com"},
		AllowedIPNets:     []string{"10.0.0.0/8", "not-a-net"},
		AllowedURISchemes: []string{"spiffe"},
		KeyTypes:          []domain.KeyType{"dsa-1024"},
		MaxValidityDays:   0,
		KeyUsages:         []string{"keyCertSign"},
	}
	_, err := domain.NewProfile(spec)
	require.True(t, domain.IsKind(err, domain.KindInvalid), "%v", err)

	assert.ElementsMatch(t, []string{
		"name/name_syntax",
		"allowed_domains/domain_syntax", "allowed_domains/domain_syntax",
		"allowed_ip_nets/ip_net_syntax", "allowed_ip_nets/requires_allow_ips",
		"allowed_uri_schemes/requires_allow_uris",
		"key_types/unknown", "key_usages/unknown", "ext_key_usages/required",
		"max_validity_days/range",
	}, kinds(domain.ViolationsOf(err)))
}

func TestProfileDefineAndUpdate(t *testing.T) {
	id := uuid.NewString()
	spec := webSpec("payments", false)

	t.Run("only SEC_OPS defines, ADMIN by override", func(t *testing.T) {
		for _, tc := range []struct {
			name     string
			by       domain.Actor
			kind     domain.ErrorKind
			override bool
		}{
			{"sec ops", secOps, "", false},
			{"admin", admin, "", true},
			{"devops", devOps, domain.KindForbidden, false},
			{"viewer", viewer, domain.KindForbidden, false},
			{"anonymous", domain.Actor{Roles: []domain.Role{domain.RoleSecOps}}, domain.KindForbidden, false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				evs, err := (&domain.Profile{}).Define(id, spec, tc.by, t0)
				assert.Equal(t, tc.kind, domain.KindOf(err))
				if err == nil {
					assert.Equal(t, tc.override, evs[0].(domain.ProfileDefined).Override)
				}
			})
		}
	})

	evs, err := (&domain.Profile{}).Define(id, spec, secOps, t0)
	require.NoError(t, err)
	p, err := domain.NewProfileFromHistory(evs)
	require.NoError(t, err)
	assert.Equal(t, id, p.ID())
	assert.Equal(t, 1, p.Version())

	_, err = p.Define(id, spec, secOps, t0)
	assert.True(t, domain.IsKind(err, domain.KindConflict), "define twice: %v", err)

	spec.MaxValidityDays = 30
	upd, err := p.Update(spec, secOps, t0)
	require.NoError(t, err)
	p, err = domain.NewProfileFromHistory(append(evs, upd...))
	require.NoError(t, err)
	assert.Equal(t, 30, p.MaxValidityDays())
	assert.Equal(t, 2, p.Version())

	renamed := spec
	renamed.Name = "other"
	_, err = p.Update(renamed, secOps, t0)
	assert.True(t, domain.IsKind(err, domain.KindInvalid), "rename: %v", err)

	spec.KeyTypes = nil
	_, err = p.Update(spec, secOps, t0)
	assert.True(t, domain.IsKind(err, domain.KindInvalid), "invalid spec: %v", err)

	_, err = (&domain.Profile{}).Update(spec, secOps, t0)
	assert.True(t, domain.IsKind(err, domain.KindNotFound), "update undefined: %v", err)

	_, err = (&domain.Profile{}).Define("not-a-uuid", webSpec("x", false), secOps, t0)
	assert.True(t, domain.IsKind(err, domain.KindInvalid), "bad id: %v", err)
}

func TestProfileApplyRefusesForeignEvents(t *testing.T) {
	_, err := domain.NewProfileFromHistory([]domain.Event{domain.ProfileUpdated{ProfileID: uuid.NewString()}})
	assert.Error(t, err, "update before define")
	_, err = domain.NewProfileFromHistory([]domain.Event{domain.CertificateExpired{}})
	assert.Error(t, err, "not a profile event")
}
