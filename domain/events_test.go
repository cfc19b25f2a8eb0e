package domain_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

// roundTrip encodes every event to JSON and decodes it strictly into a new value of its type.
func roundTrip(t *testing.T, history []domain.Event) []domain.Event {
	t.Helper()
	out := make([]domain.Event, len(history))
	for i, e := range history {
		data, err := json.Marshal(e)
		require.NoError(t, err)
		spec := domain.EventTypes()[e.EventType()]
		p := spec.New()
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		require.NoError(t, dec.Decode(p), "%s: %s", e.EventType(), data)
		decoded := spec.Value(p)
		again, err := json.Marshal(decoded)
		require.NoError(t, err)
		assert.JSONEq(t, string(data), string(again), e.EventType())
		assert.Equal(t, e.Aggregate(), decoded.Aggregate(), e.EventType())
		out[i] = decoded
	}
	return out
}

func TestEventsSurviveJSON(t *testing.T) {
	f := newFixture(t, webSpec("payments", true))

	t.Run("certificate", func(t *testing.T) {
		h := f.historyIn(t, domain.StatusSuperseded)
		c, err := domain.NewCertificateFromHistory(h)
		require.NoError(t, err)
		compromised := t0
		revoked, err := c.Revoke(domain.ReasonKeyCompromise, &compromised, secOps, t0)
		require.NoError(t, err)
		h = append(h, revoked...)

		decoded, err := domain.NewCertificateFromHistory(roundTrip(t, h))
		require.NoError(t, err)
		want, err := domain.NewCertificateFromHistory(h)
		require.NoError(t, err)
		assert.Equal(t, domain.StatusRevoked, decoded.Status())
		assert.Equal(t, want.Serial(), decoded.Serial())
		assert.Equal(t, want.CertificateDER(), decoded.CertificateDER())
		assert.Equal(t, want.SupersededBy(), decoded.SupersededBy())
		rev, _ := decoded.Revocation()
		assert.Equal(t, domain.ReasonKeyCompromise, rev.Reason)
		data, err := json.Marshal(revoked[0])
		require.NoError(t, err)
		assert.Contains(t, string(data), `"reason":"keyCompromise"`)
	})

	t.Run("CA", func(t *testing.T) {
		root, rootKey, h := newRoot(t, caSpec("Root", 1, 3650))
		spec := caSpec("Issuing", 0, 365)
		der, _ := signCA(t, spec, root, rootKey, t0)
		inter, err := announced(t, &domain.CA{}, der).CreateIntermediate(spec, root, der, secOps, t0)
		require.NoError(t, err)
		ca, err := domain.NewCAFromHistory(roundTrip(t, inter))
		require.NoError(t, err)
		assert.Equal(t, root.ID(), ca.ParentID())
		assert.Equal(t, der, ca.CertificateDER())

		revoked, err := root.Revoke(domain.ReasonCACompromise, nil, secOps, t0)
		require.NoError(t, err)
		decoded, err := domain.NewCAFromHistory(roundTrip(t, append(h, revoked...)))
		require.NoError(t, err)
		assert.Equal(t, domain.CAStatusRevoked, decoded.Status())
	})

	t.Run("profile", func(t *testing.T) {
		id := uuid.NewString()
		spec := webSpec("payments", true)
		spec.AllowIPs, spec.AllowedIPNets = true, []string{"10.0.0.0/8"}
		h, err := (&domain.Profile{}).Define(id, spec, secOps, t0)
		require.NoError(t, err)
		p, err := domain.NewProfileFromHistory(h)
		require.NoError(t, err)
		upd, err := p.Update(spec, admin, t0)
		require.NoError(t, err)
		decoded, err := domain.NewProfileFromHistory(roundTrip(t, append(h, upd...)))
		require.NoError(t, err)
		assert.Equal(t, p.Spec(), decoded.Spec())
		assert.Equal(t, 2, decoded.Version())
	})
}
