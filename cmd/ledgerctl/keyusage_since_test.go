package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKeyUsageSinceKeepsWhatHappenedFromThen(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	at, err := parseSince("2026-12-01T00:00:00Z", now)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), at)
	back, err := parseSince("72h", now)
	require.NoError(t, err)
	assert.Equal(t, now.Add(-72*time.Hour), back)
	zero, err := parseSince("", now)
	require.NoError(t, err)
	assert.True(t, zero.IsZero())
	for _, bad := range []string{"yesterday", "-1h", "0s", "2026-12-01"} {
		_, err := parseSince(bad, now)
		assert.Error(t, err, bad)
	}

	u := signingKeyUsage{Events: []keyUse{{Time: now.Add(-time.Hour)}, {Time: now}},
		Signatures: []artifactUse{{RequestID: "old", Time: now.Add(-time.Second)}, {RequestID: "at", Time: now}, {RequestID: "new", Time: now.Add(time.Second)}}}
	got := u.since(now)
	assert.Len(t, got.Events, 1)
	require.Len(t, got.Signatures, 2)
	assert.Equal(t, []string{"at", "new"}, []string{got.Signatures[0].RequestID, got.Signatures[1].RequestID})
	assert.Len(t, u.Signatures, 3, "the unfiltered usage is left as it was")
}
