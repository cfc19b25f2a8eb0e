package dashboard

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/wire"
)

// TestSessionsExpireAndClose: a session lives for its TTL, is gone after it or after close, and
// an unknown or empty cookie names none.
func TestSessionsExpireAndClose(t *testing.T) {
	now := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	s := newSessions(time.Hour)
	s.now = func() time.Time { return now }
	id, ss := s.open("the-token", wire.Me{Subject: "sec"})
	req := func(value string) *http.Request {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.AddCookie(&http.Cookie{Name: cookieName, Value: value})
		return r
	}
	require.Same(t, ss, s.get(req(id)))
	assert.Nil(t, s.get(req("not-a-session")))
	assert.Nil(t, s.get(req("")))
	assert.True(t, ss.validCSRF(ss.csrf))
	assert.False(t, ss.validCSRF(""))
	assert.False(t, ss.validCSRF(ss.csrf[:len(ss.csrf)-1]))

	now = now.Add(time.Hour + time.Second)
	assert.Nil(t, s.get(req(id)), "expired")
	assert.Empty(t, s.byID, "an expired session is dropped when it is asked for")

	id2, _ := s.open("other", wire.Me{})
	s.close(req(id2))
	assert.Nil(t, s.get(req(id2)), "closed")
}

// TestCookieIsSecureOverTLS: the session cookie is HttpOnly and SameSite=Strict always, Secure
// when the request came over TLS.
func TestCookieIsSecureOverTLS(t *testing.T) {
	plain := httptest.NewRequest(http.MethodGet, "/", nil)
	overTLS := httptest.NewRequest(http.MethodGet, "/", nil)
	overTLS.TLS = &tls.ConnectionState{}
	for _, tc := range []struct {
		r      *http.Request
		secure bool
	}{{plain, false}, {overTLS, true}} {
		c := cookie(tc.r, "id", 0)
		assert.True(t, c.HttpOnly)
		assert.Equal(t, http.SameSiteStrictMode, c.SameSite)
		assert.Equal(t, tc.secure, c.Secure)
	}
}
