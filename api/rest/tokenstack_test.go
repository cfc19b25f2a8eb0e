package rest_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/projections"
	"github.com/certledger/certledger/projections/projectiontest"
	"github.com/certledger/certledger/tests/clienttest"
)

// tokenStack is the REST API over real handlers, store, HSM and Postgres, with the read
// models kept up to date.
type tokenStack struct {
	srv    *httptest.Server
	store  *eventstore.Store
	runner *projections.Runner
}

func newTokenStack(t *testing.T) tokenStack {
	t.Helper()
	l := clienttest.Start(t)
	return tokenStack{srv: l.Server, store: l.Store, runner: l.Runner}
}

// mint mints a token as the caller with token by and returns the answer, requiring a 201.
func (s tokenStack) mint(t *testing.T, by string, body map[string]any) map[string]any {
	t.Helper()
	status, out := call(t, s.srv, "POST", "/api/v1/tokens", by, body)
	require.Equal(t, http.StatusCreated, status, out)
	return out
}

// waitLive waits until the read models have applied every stored event.
func (s tokenStack) waitLive(t *testing.T) {
	t.Helper()
	projectiontest.WaitLive(t, s.runner, s.store)
}
