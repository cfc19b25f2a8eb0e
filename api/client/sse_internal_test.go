package client

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadSSE(t *testing.T) {
	stream := ": a comment\n" +
		"id: 7\nevent: ProbeSeen\ndata: {\"a\":1}\n\n" +
		": keepalive\n\n" + // a comment and a blank line make no frame
		"id: 9\n\n" + // a position only
		"data:first\r\ndata: second\r\nretry: 10\r\nunknown\r\n\r\n" + // CRLF, no space, two data lines, other fields
		"id: 12\ndata: unfinished" // dropped: no blank line
	var frames []sseFrame
	lines := 0
	err := readSSE(strings.NewReader(stream), func() { lines++ }, func(f sseFrame) error {
		frames = append(frames, f)
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, []sseFrame{
		{id: "7", hasID: true, event: "ProbeSeen", data: []string{`{"a":1}`}},
		{id: "9", hasID: true},
		{data: []string{"first", "second"}},
	}, frames)
	assert.Equal(t, 16, lines, "every line read counts, comments too")
}

func TestReadSSEStopsWithTheHandlersError(t *testing.T) {
	stop := errors.New("enough")
	calls := 0
	err := readSSE(strings.NewReader("id: 1\ndata: x\n\nid: 2\ndata: y\n\n"), func() {}, func(sseFrame) error {
		calls++
		return stop
	})
	assert.ErrorIs(t, err, stop)
	assert.Equal(t, 1, calls)
}
