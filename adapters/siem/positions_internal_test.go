package siem

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestPositionsWatermark checks that the watermark passes only positions whose every
// predecessor is done, whatever order acknowledgements arrive in.
func TestPositionsWatermark(t *testing.T) {
	p := positions{mark: 10}
	a := p.add(11, false)
	p.add(12, true) // skipped
	b := p.add(13, false)
	c := p.add(14, false)
	p.add(15, true)
	p.add(16, true) // merged with 15
	assert.Equal(t, uint64(10), p.mark)
	p.finish(c)
	assert.Equal(t, uint64(10), p.mark, "13 and 11 are not done")
	p.finish(a)
	assert.Equal(t, uint64(12), p.mark)
	p.finish(b)
	assert.Equal(t, uint64(16), p.mark)
	assert.Empty(t, p.queue)
	p.add(20, true)
	assert.Equal(t, uint64(20), p.mark, "nothing outstanding: done positions move the mark at once")
}
