package rest

import (
	"testing"
	"time"
)

// SetKeepAlive makes following event streams send their keepalive every d until the test ends.
// Call it before starting the server, so that its handlers see d and are gone when it is undone.
func SetKeepAlive(t testing.TB, d time.Duration) {
	old := keepAlive
	keepAlive = d
	t.Cleanup(func() { keepAlive = old })
}
