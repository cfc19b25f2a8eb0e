package events_test

import (
	"fmt"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/events"
)

// manyStreams returns n interleaved honest streams of 5 events each.
func manyStreams(t *testing.T, n int) []events.Raw {
	all := make([][]events.Raw, n)
	for i := range all {
		all[i], _ = sealStream(t, events.StreamName(events.CategoryCA, uuid.New()), 5, 32)
	}
	return cloneRaws(interleave(all...))
}

func TestVerifyParallelAgreesWithVerify(t *testing.T) {
	log := manyStreams(t, 300)
	want, err := events.Verify(seqOf(log))
	require.NoError(t, err)
	for _, workers := range []int{0, 1, 2, 7} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			got, err := events.VerifyParallel(seqOf(log), workers)
			require.NoError(t, err)
			assert.Equal(t, want, got)
		})
	}
}

func TestVerifyParallelReportsTheFirstBreakInReadOrder(t *testing.T) {
	log := manyStreams(t, 300)
	// Break two chains; the one read first must be reported, whichever worker checks it.
	early, late := &log[400], &log[1200]
	late.Type, early.Type = "Tampered", "Tampered"

	_, err := events.VerifyParallel(seqOf(log), 4)

	var ce *events.ChainError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, early.Stream, ce.Stream)
	assert.Equal(t, early.Revision, ce.Revision)
}
