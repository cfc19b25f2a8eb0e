package domain_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

// TestRotationHandsSigningToTheSuccessor: the successor's spec is the key's own under a new id
// and label; once rotated, the key signs nothing more (naming its successor), keeps its
// certificate unrevoked, may still be revoked, and is not rotated twice; a DEVOPS may not
// rotate, and a successor of another team does not succeed.
func TestRotationHandsSigningToTheSuccessor(t *testing.T) {
	c := newChain(t)
	spec := keySpec(2, "sam", "sue")
	spec.Policy.Windows = []string{"mon-fri 08:00-18:00"}
	old := newCodeKey(t, c, spec)
	id := uuid.NewString()
	next := old.key.SuccessorSpec(id, "signingkey-"+id)
	assert.Equal(t, id, next.ID)
	assert.Equal(t, []interface{}{spec.Name, spec.Team, spec.Usage, spec.KeyType, spec.CommonName, 365},
		[]interface{}{next.Name, next.Team, next.Usage, next.KeyType, next.CommonName, next.ValidityDays})
	assert.Equal(t, old.key.Policy(), next.Policy, "the policy carries over, defaults filled in")
	successor := newCodeKey(t, c, next)

	_, err := old.key.CheckRotate(devOps, id)
	assert.True(t, domain.IsKind(err, domain.KindForbidden))
	done, err := old.key.CheckRotate(secOps, id)
	require.NoError(t, err)
	assert.False(t, done)
	otherSpec := keySpec(0)
	otherSpec.Team = "search"
	_, err = old.key.Rotate(newCodeKey(t, c, otherSpec).key, "", secOps, t0)
	assert.True(t, domain.IsKind(err, domain.KindInvalid), "another team's key: %v", err)
	_, err = old.key.Rotate(old.key, "", secOps, t0)
	assert.True(t, domain.IsKind(err, domain.KindInvalid), "itself: %v", err)

	evs, err := old.key.Rotate(successor.key, "yearly rotation", secOps, t0)
	require.NoError(t, err)
	for _, e := range evs {
		require.NoError(t, old.key.Apply(e))
	}
	assert.Equal(t, domain.KeyStatusRotated, old.key.Status())
	assert.Equal(t, id, old.key.Successor())
	err = old.key.CheckCanSign(t0)
	assert.True(t, domain.IsKind(err, domain.KindConflict), "%v", err)
	assert.Contains(t, err.Error(), "its successor is "+id)
	_, err = (&domain.SignatureRequest{}).Request(sha256Input("v3"), old.key, devOps, t0.AddDate(0, 0, 7))
	assert.True(t, domain.IsKind(err, domain.KindConflict), "a rotated key takes no request: %v", err)
	_, err = old.key.CheckRotate(secOps, uuid.NewString())
	assert.True(t, domain.IsKind(err, domain.KindConflict), "rotated once")
	done, err = old.key.CheckRotate(secOps, id)
	assert.True(t, done && err == nil, "the same rotation again is done: %v", err)
	_, err = old.key.CheckRotate(devOps, id)
	assert.True(t, domain.IsKind(err, domain.KindForbidden), "a replay is still authorized")
	require.NoError(t, successor.key.CheckCanSign(t0))

	evs, err = old.key.Revoke(domain.ReasonKeyCompromise, nil, secOps, t0)
	require.NoError(t, err, "a rotated key found compromised is still revoked")
	require.NoError(t, old.key.Apply(evs[0]))
	assert.Equal(t, domain.KeyStatusRevoked, old.key.Status())
	assert.Equal(t, id, old.key.Successor())
}
