package events_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"

	"github.com/certledger/certledger/events"
)

func TestEventID(t *testing.T) {
	cmd := uuid.MustParse("7b0e1c2a-3d4f-4a5b-8c6d-9e0f1a2b3c4d")
	other := uuid.MustParse("7b0e1c2a-3d4f-4a5b-8c6d-9e0f1a2b3c4e")

	id := events.EventID(cmd, 3)

	assert.Equal(t, id, events.EventID(cmd, 3), "a retried command yields the same id")
	assert.Equal(t, uuid.Version(5), id.Version())
	assert.Equal(t, uuid.RFC4122, id.Variant())
	// Golden values, computed independently (Python: SHA-1 over namespace,
	// command id and the big-endian 64-bit index).
	assert.Equal(t, "426e33d4-1b98-5bc7-adb4-ed318c802496", events.EventID(cmd, 0).String())
	assert.Equal(t, "f4a477cd-1d19-5e76-a8dd-80554c98416f", id.String())

	seen := map[uuid.UUID]string{}
	for _, c := range []uuid.UUID{cmd, other, uuid.Nil} {
		for _, i := range []int{-1, 0, 1, 2, 1 << 40} {
			id := events.EventID(c, i)
			assert.NotContains(t, seen, id, "collision between %s/%d and %s", c, i, seen[id])
			seen[id] = c.String()
		}
	}
}
