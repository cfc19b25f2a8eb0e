package client

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestAnAnswerThatIsNoProblemKeepsItsText(t *testing.T) {
	e := errorOf(&Response{Status: http.StatusBadGateway, Header: http.Header{"Content-Type": {"text/html"}},
		Body: []byte("<html>bad gateway</html>\n")})
	assert.Equal(t, "502 Bad Gateway: <html>bad gateway</html>", e.Error())
}

func TestRetryAfterIsReadAndShown(t *testing.T) {
	e := errorOf(&Response{Status: http.StatusTooManyRequests, Header: http.Header{
		"Content-Type": {"application/problem+json"}, "Retry-After": {"4"}},
		Body: []byte(`{"type":"https://certledger.dev/problems/rate-limited","title":"Too Many Requests","status":429,"detail":"slow down"}`)})
	assert.Equal(t, 4*time.Second, e.RetryAfter)
	assert.Equal(t, "429 Too Many Requests: slow down\n  retry after 4s", e.Error())
	assert.Equal(t, time.Duration(0), retryAfter("soon"))
}
