package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/certledger/certledger/api/wire"
)

// Prefix is where the REST API lives under the base URL.
const Prefix = "/api/v1"

// DefaultTimeout bounds one request, answer included, unless WithTimeout says otherwise.
const DefaultTimeout = 30 * time.Second

// maxAnswer bounds the body of an answer the client reads.
const maxAnswer = 32 << 20

// Client calls one ledger's REST API as one principal. It is safe for concurrent use.
type Client struct {
	base      string // scheme://host[:port], without Prefix
	token     string
	userAgent string
	http      *http.Client
}

// Option configures a Client.
type Option func(*Client)

// WithTimeout bounds each request, answer included.
func WithTimeout(d time.Duration) Option { return func(c *Client) { c.http.Timeout = d } }

// WithHTTPClient sends the requests through h (its own timeout applies).
func WithHTTPClient(h *http.Client) Option { return func(c *Client) { c.http = h } }

// WithUserAgent replaces the User-Agent header.
func WithUserAgent(ua string) Option { return func(c *Client) { c.userAgent = ua } }

// New returns a client of the ledger at baseURL (such as http://127.0.0.1:8080; a trailing
// /api/v1 is accepted too) calling with the bearer token; an empty token sends none.
func New(baseURL, token string, opts ...Option) *Client {
	base := strings.TrimSuffix(strings.TrimRight(baseURL, "/"), Prefix)
	c := &Client{base: base, token: token, userAgent: "ledgerctl/" + Version(), http: &http.Client{Timeout: DefaultTimeout}}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Version is the version of the module this client was built from, or "dev".
func Version() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

// Response is an answer as the server sent it, for callers that need more than the decoded
// result: the JSON as written, or the ETag.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// ETag is the answer's ETag without quotes: the revision of the resource it shows.
func (r *Response) ETag() string {
	return strings.Trim(strings.TrimPrefix(r.Header.Get("ETag"), "W/"), `"`)
}

// RequestOption changes one request.
type RequestOption func(*request)

type request struct {
	header   http.Header
	capture  *Response
	progress func(wire.ReplayProgress) // AsOfProgress
}

// IdempotencyKey makes a retry of the same command, by the same principal, on the same resource
// run the same command id, so that it appends nothing twice and answers as the first did.
func IdempotencyKey(key string) RequestOption {
	return func(r *request) { r.header.Set("Idempotency-Key", key) }
}

// IfMatch makes a command fail with 412 Precondition Failed unless the resource is still at
// revision rev (the revision field, or ETag, of the answer that showed it).
func IfMatch(rev uint64) RequestOption {
	return func(r *request) { r.header.Set("If-Match", `"`+strconv.FormatUint(rev, 10)+`"`) }
}

// Capture stores the answer in into, error answers included.
func Capture(into *Response) RequestOption { return func(r *request) { r.capture = into } }

// call sends a request with in (when not nil) as its JSON body and decodes a 2xx JSON answer
// into out (when not nil).
func (c *Client) call(ctx context.Context, method, path string, query url.Values, in, out any, opts []RequestOption) error {
	resp, err := c.send(ctx, method, path, query, in, opts)
	if err != nil {
		return err
	}
	if out == nil || len(bytes.TrimSpace(resp.Body)) == 0 {
		return nil
	}
	if err := json.Unmarshal(resp.Body, out); err != nil {
		return fmt.Errorf("%s %s: the answer is not the JSON expected: %w", method, Prefix+path, err)
	}
	return nil
}

// send sends a request and reads its answer; a non-2xx answer is a *Error.
func (c *Client) send(ctx context.Context, method, path string, query url.Values, in any, opts []RequestOption) (*Response, error) {
	r := request{header: http.Header{}}
	for _, o := range opts {
		o(&r)
	}
	var body io.Reader
	if in != nil {
		raw, err := json.Marshal(in)
		if err != nil {
			return nil, fmt.Errorf("%s %s: encoding the request: %w", method, Prefix+path, err)
		}
		body = bytes.NewReader(raw)
		r.header.Set("Content-Type", "application/json")
	}
	target := c.base + Prefix + path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, Prefix+path, err)
	}
	req.Header = r.header
	req.Header.Set("User-Agent", c.userAgent)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	httpResp, err := c.http.Do(req)
	if err != nil {
		var urlErr *url.Error // "Get \"url\": err" would name the URL twice
		if errors.As(err, &urlErr) {
			err = urlErr.Err
		}
		return nil, fmt.Errorf("%s %s: %w", method, target, err)
	}
	defer httpResp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(httpResp.Body, maxAnswer))
	if err != nil {
		return nil, fmt.Errorf("%s %s: reading the answer: %w", method, Prefix+path, err)
	}
	resp := &Response{Status: httpResp.StatusCode, Header: httpResp.Header, Body: raw}
	if r.capture != nil {
		*r.capture = *resp
	}
	if resp.Status < 200 || resp.Status > 299 {
		return resp, errorOf(resp)
	}
	return resp, nil
}

// segment escapes one path segment, such as an id or a profile name.
func segment(s string) string { return url.PathEscape(s) }

// BaseURL is the ledger's base URL the client calls, without Prefix.
func (c *Client) BaseURL() string { return c.base }
