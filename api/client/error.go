package client

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/certledger/certledger/api/wire"
)

// Error is a non-2xx answer of the API: an RFC 7807 problem, or, when the body is no problem
// document, its text in Detail.
type Error struct {
	// Status is the HTTP status code.
	Status int
	// Type is a URI naming the kind of problem, stable per kind, such as
	// https://certledger.dev/problems/policy-violation.
	Type string
	// Title summarises the kind of problem; Detail explains this occurrence.
	Title, Detail string
	// Violations lists every rule a request broke, such as each profile rule a CSR breaks.
	Violations []Violation
	// RetryAfter is how long the server asked the client to wait (429, 503); 0 when it did not.
	RetryAfter time.Duration
}

// Violation is one of several problems with a request.
type Violation = wire.Violation

// errorOf decodes a non-2xx answer.
func errorOf(resp *Response) *Error {
	e := &Error{Status: resp.Status, Title: http.StatusText(resp.Status), RetryAfter: retryAfter(resp.Header.Get("Retry-After"))}
	mediaType, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	var p wire.Problem
	if (mediaType == "application/problem+json" || mediaType == "application/json") && json.Unmarshal(resp.Body, &p) == nil &&
		(p.Title != "" || p.Detail != "" || p.Type != "") {
		e.Type, e.Detail, e.Violations = p.Type, p.Detail, p.Violations
		if p.Title != "" {
			e.Title = p.Title
		}
		return e
	}
	e.Detail = strings.TrimSpace(string(resp.Body))
	if len(e.Detail) > 2000 {
		e.Detail = e.Detail[:2000] + "…"
	}
	return e
}

// retryAfter reads a Retry-After header: delay seconds or an HTTP date.
func retryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && time.Until(t) > 0 {
		return time.Until(t).Round(time.Second)
	}
	return 0
}

// Error reads as "422 Unprocessable Entity: detail", then each violation on a line of its own
// and, when the server asked for it, how long to wait before retrying.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s", e.Status, e.Title)
	if e.Detail != "" {
		b.WriteString(": " + e.Detail)
	}
	for _, v := range e.Violations {
		b.WriteString("\n  - ")
		if v.Field != "" {
			b.WriteString(v.Field + ": ")
		}
		b.WriteString(v.Message)
		if v.Rule != "" {
			b.WriteString(" [" + v.Rule + "]")
		}
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, "\n  retry after %s", e.RetryAfter)
	}
	return b.String()
}
