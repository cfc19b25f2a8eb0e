package dashboard_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/tests/clienttest"
)

// browserless is an HTTP client with a cookie jar that does not follow redirects.
func browserless(t testing.TB) *http.Client {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func get(t testing.TB, h *http.Client, u string) (*http.Response, string) {
	t.Helper()
	resp, err := h.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(body)
}

func post(t testing.TB, h *http.Client, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	resp, err := h.PostForm(u, form)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(body)
}

var hidden = regexp.MustCompile(`name="(nonce|csrf)" value="([^"]+)"`)

// formToken is the value of the page's hidden nonce or csrf field.
func formToken(t testing.TB, page, name string) string {
	t.Helper()
	for _, m := range hidden.FindAllStringSubmatch(page, -1) {
		if m[1] == name {
			return m[2]
		}
	}
	t.Fatalf("the page has no %s field:\n%s", name, page)
	return ""
}

// signIn signs h in with token and returns the session cookie's Set-Cookie line.
func signIn(t testing.TB, h *http.Client, base, token string) string {
	t.Helper()
	_, form := get(t, h, base+"/ui/signin")
	resp, body := post(t, h, base+"/ui/signin", url.Values{"token": {token}, "nonce": {formToken(t, form, "nonce")}})
	require.Equal(t, http.StatusSeeOther, resp.StatusCode, body)
	for _, line := range resp.Header.Values("Set-Cookie") {
		if strings.HasPrefix(line, "certledger_session=") {
			return line
		}
	}
	t.Fatal("no session cookie")
	return ""
}

// TestSessionSignInCSRFAndSignOut: the token is posted once and never comes back; the session
// cookie is HttpOnly and SameSite=Strict; forms without the CSRF token change nothing; sign-out
// ends the session.
func TestSessionSignInCSRFAndSignOut(t *testing.T) {
	w := newWorld(t)
	base := w.l.URL
	h := browserless(t)

	resp, _ := get(t, h, base+"/")
	assert.Equal(t, http.StatusSeeOther, resp.StatusCode, "signed out, the overview sends to the sign-in page")
	assert.Equal(t, "/ui/signin", resp.Header.Get("Location"))

	_, form := get(t, h, base+"/ui/signin")
	resp, body := post(t, h, base+"/ui/signin", url.Values{"token": {"forged-token"}, "nonce": {formToken(t, form, "nonce")}})
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Contains(t, body, "did not accept this token")
	resp, _ = post(t, browserless(t), base+"/ui/signin", url.Values{"token": {clienttest.AdminToken}, "nonce": {"guessed"}})
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "a sign-in form from elsewhere has no nonce cookie")

	line := signIn(t, h, base, secOpsToken)
	assert.Contains(t, line, "HttpOnly")
	assert.Contains(t, line, "SameSite=Strict")
	assert.NotContains(t, line, secOpsToken)
	assert.NotContains(t, line, "Secure", "over plain HTTP the cookie cannot be Secure; over TLS it is")

	resp, page := get(t, h, base+"/ui/approvals")
	require.Equal(t, http.StatusOK, resp.StatusCode, page)
	assert.NotContains(t, page, secOpsToken, "the token never comes back to the browser")
	assert.Contains(t, page, w.pending)
	csrf := formToken(t, page, "csrf")

	resp, _ = post(t, h, base+"/ui/approvals/"+w.pending, url.Values{"decision": {"approve"}, "reason": {"ok"}})
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "no CSRF token")
	resp, _ = post(t, h, base+"/ui/approvals/"+w.pending, url.Values{"decision": {"approve"}, "csrf": {csrf + "x"}})
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "a wrong CSRF token")
	cert, err := w.admin.GetCertificate(t.Context(), w.pending)
	require.NoError(t, err)
	assert.Equal(t, "pending_approval", cert.Status, "a refused form changes nothing")

	resp, body = post(t, h, base+"/ui/approvals/"+w.pending, url.Values{"decision": {"reject"}, "csrf": {csrf}})
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "a rejection needs a reason")
	assert.Contains(t, body, "needs a reason")

	resp, _ = post(t, h, base+"/ui/signout", url.Values{"csrf": {csrf}})
	assert.Equal(t, http.StatusSeeOther, resp.StatusCode)
	resp, _ = get(t, h, base+"/ui/approvals")
	assert.Equal(t, http.StatusSeeOther, resp.StatusCode, "after sign-out the session is gone")
}

// TestViewerSeesNoDecisionAndTheAPIRefusesIt: a VIEWER's approvals page has no forms, and a
// forged decision is refused by the API's own access check.
func TestViewerSeesNoDecisionAndTheAPIRefusesIt(t *testing.T) {
	w := newWorld(t)
	h := browserless(t)
	signIn(t, h, w.l.URL, clienttest.ViewerToken)
	_, page := get(t, h, w.l.URL+"/ui/approvals")
	assert.Contains(t, page, w.pending)
	assert.NotContains(t, page, `value="approve"`)
	resp, body := post(t, h, w.l.URL+"/ui/approvals/"+w.pending, url.Values{"decision": {"approve"}, "csrf": {formToken(t, page, "csrf")}})
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, body)
	cert, err := w.admin.GetCertificate(t.Context(), w.pending)
	require.NoError(t, err)
	assert.Equal(t, "pending_approval", cert.Status)
}
