package dashboard

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"sync"
	"time"

	"github.com/certledger/certledger/api/wire"
)

// cookieName is the session cookie. Its value is a random session id; the API token it stands
// for stays in this process's memory and never goes back to the browser.
const cookieName = "certledger_session"

// session is one signed-in browser: the token the API is called with, who it is, and the
// CSRF token every state-changing form must carry.
type session struct {
	token   string
	me      wire.Me
	csrf    string
	expires time.Time
}

// sessions are the signed-in browsers, by session id. They live in memory: a restart of
// ledgerd signs everyone out, which costs a sign-in and keeps no token at rest.
type sessions struct {
	mu   sync.Mutex
	byID map[string]*session
	ttl  time.Duration
	now  func() time.Time
}

func newSessions(ttl time.Duration) *sessions {
	return &sessions{byID: map[string]*session{}, ttl: ttl, now: time.Now}
}

// open starts a session for a token the API accepted and returns its id.
func (s *sessions) open(token string, me wire.Me) (string, *session) {
	id, csrf := randomToken(), randomToken()
	ss := &session{token: token, me: me, csrf: csrf, expires: s.now().Add(s.ttl)}
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, v := range s.byID { // drop the expired ones, so the map does not grow without bound
		if s.now().After(v.expires) {
			delete(s.byID, k)
		}
	}
	s.byID[id] = ss
	return id, ss
}

// get returns the live session of the request's cookie, or nil.
func (s *sessions) get(r *http.Request) *session {
	c, err := r.Cookie(cookieName)
	if err != nil || c.Value == "" {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.byID[c.Value]
	if ss == nil {
		return nil
	}
	if s.now().After(ss.expires) {
		delete(s.byID, c.Value)
		return nil
	}
	return ss
}

// close ends the request's session, if any.
func (s *sessions) close(r *http.Request) {
	if c, err := r.Cookie(cookieName); err == nil {
		s.mu.Lock()
		delete(s.byID, c.Value)
		s.mu.Unlock()
	}
}

// cookie is the session cookie for id: HttpOnly, SameSite=Strict, Secure when the request came
// over TLS; maxAge < 0 deletes it.
func cookie(r *http.Request, id string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: cookieName, Value: id, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode}
}

// validCSRF reports whether a form's CSRF token is the session's.
func (ss *session) validCSRF(token string) bool {
	return token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(ss.csrf)) == 1
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}
