package dashboard

import (
	"io"
	"net/http"
	"sync"
)

// inProcess is an http.RoundTripper that serves each request with the ledger's own handler, in
// this process: the dashboard reads the API exactly as a client over the network would, with the
// signed-in caller's token, so it gets the same answers, roles and team scopes. The answer
// streams (an event stream stays open), its body fed by the handler through a pipe.
type inProcess struct {
	handler    http.Handler
	remoteAddr string // the browser's, so that the ledger records and rate-limits the real caller
}

func (t inProcess) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.RemoteAddr = t.remoteAddr
	req.RequestURI = req.URL.RequestURI()
	pr, pw := io.Pipe()
	w := &pipeWriter{header: http.Header{}, body: pw, ready: make(chan struct{}), req: req}
	go func() {
		defer func() {
			w.start(http.StatusOK) // a handler that wrote nothing answered 200 with no body
			_ = pw.Close()
		}()
		t.handler.ServeHTTP(w, req)
	}()
	select {
	case <-w.ready:
	case <-req.Context().Done():
		_ = pr.CloseWithError(req.Context().Err())
		return nil, req.Context().Err()
	}
	return &http.Response{Status: http.StatusText(w.status), StatusCode: w.status, Header: w.sent,
		Body: pr, Request: req, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, ContentLength: -1}, nil
}

// pipeWriter is the http.ResponseWriter and http.Flusher of an in-process request.
type pipeWriter struct {
	header http.Header
	sent   http.Header // the header as it was when the status was written
	body   *io.PipeWriter
	req    *http.Request
	status int
	once   sync.Once
	ready  chan struct{}
}

func (w *pipeWriter) Header() http.Header { return w.header }

func (w *pipeWriter) WriteHeader(status int) { w.start(status) }

func (w *pipeWriter) start(status int) {
	w.once.Do(func() {
		w.status, w.sent = status, w.header.Clone()
		close(w.ready)
	})
}

func (w *pipeWriter) Write(p []byte) (int, error) {
	w.start(http.StatusOK)
	return w.body.Write(p)
}

// Flush has nothing to do: every Write reaches the reader at once through the pipe.
func (w *pipeWriter) Flush() {}
