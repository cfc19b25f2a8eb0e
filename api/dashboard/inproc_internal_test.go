package dashboard

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInProcessStreams: an in-process answer arrives with its status and headers as soon as the
// handler writes them, its body streams while the handler still runs, and cancelling the
// request ends the handler.
func TestInProcessStreams(t *testing.T) {
	ended := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(ended)
		assert.Equal(t, "192.0.2.7:5555", r.RemoteAddr, "the browser's address reaches the API")
		w.Header().Set("X-Test", "yes")
		w.WriteHeader(http.StatusAccepted)
		for i := 0; ; i++ {
			if _, err := fmt.Fprintf(w, "line %d\n", i); err != nil {
				return
			}
			select {
			case <-r.Context().Done():
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://dashboard.invalid/x", nil)
	require.NoError(t, err)
	resp, err := (&http.Client{Transport: inProcess{handler: h, remoteAddr: "192.0.2.7:5555"}}).Do(req)
	require.NoError(t, err)
	assert.Equal(t, http.StatusAccepted, resp.StatusCode)
	assert.Equal(t, "yes", resp.Header.Get("X-Test"))
	r := bufio.NewReader(resp.Body)
	for i := range 3 {
		line, err := r.ReadString('\n')
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprintf("line %d\n", i), line)
	}
	cancel()
	require.NoError(t, resp.Body.Close())
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Fatal("the handler went on after the request was cancelled")
	}
}

// TestInProcessWithoutWrites: a handler that writes nothing answers 200 with an empty body.
func TestInProcessWithoutWrites(t *testing.T) {
	req, err := http.NewRequest(http.MethodGet, "http://dashboard.invalid/", nil)
	require.NoError(t, err)
	resp, err := inProcess{handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})}.RoundTrip(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	n, err := resp.Body.Read(make([]byte, 1))
	assert.Zero(t, n)
	assert.Error(t, err)
}
