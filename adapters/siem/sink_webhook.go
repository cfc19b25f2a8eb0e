package siem

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
)

// webhookPublisher is a watermill Publisher that POSTs each message's payload, the CloudEvent
// JSON, to a URL, signed with HMAC-SHA256 (see Sign). A 2xx answer is a delivery; a 4xx other than
// 408 and 429 rejects the event permanently (it is poisoned); anything else, and every network
// error, is the receiver being unavailable (the event is retried and redelivered, never
// poisoned). Redirects are not followed.
type webhookPublisher struct {
	url    string
	secret []byte
	client *http.Client
	now    func() time.Time
}

func newWebhookPublisher(c SinkConfig) (*webhookPublisher, error) {
	secret, err := readSecret(c.SecretFile)
	if err != nil {
		return nil, fmt.Errorf("sink %s: secret_file: %w", c.Name, err)
	}
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	if c.CAFile != "" {
		if tlsConfig.RootCAs, err = loadRoots(c.CAFile); err != nil {
			return nil, fmt.Errorf("sink %s: ca_file: %w", c.Name, err)
		}
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = tlsConfig
	// One kept-alive connection per delivery in flight: a connection closed for want of an idle
	// slot costs a TLS handshake per event.
	transport.MaxIdleConns, transport.MaxIdleConnsPerHost = c.MaxInFlight, c.MaxInFlight
	client := &http.Client{Transport: transport, Timeout: time.Duration(c.Timeout),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &webhookPublisher{url: c.URL, secret: secret, client: client, now: time.Now}, nil
}

// Publish posts the messages one after the other; topic is not used.
func (w *webhookPublisher) Publish(_ string, msgs ...*message.Message) error {
	for _, msg := range msgs {
		if err := w.post(msg); err != nil {
			return err
		}
	}
	return nil
}

func (w *webhookPublisher) post(msg *message.Message) error {
	req, err := http.NewRequestWithContext(msg.Context(), http.MethodPost, w.url, bytes.NewReader(msg.Payload))
	if err != nil {
		return permanent(fmt.Errorf("webhook request: %w", err))
	}
	ts := strconv.FormatInt(w.now().Unix(), 10)
	req.Header.Set("Content-Type", ContentTypeCloudEvents)
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSignature, Sign(w.secret, ts, msg.Payload))
	resp, err := w.client.Do(req)
	if err != nil {
		return unavailable(fmt.Errorf("webhook POST: %w", err))
	}
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // so the connection is reused
	_ = resp.Body.Close()
	code := resp.StatusCode
	err = fmt.Errorf("webhook answered %s: %q", resp.Status, bytes.TrimSpace(snippet))
	switch {
	case code >= 200 && code < 300:
		return nil
	case code >= 400 && code < 500 && code != http.StatusRequestTimeout && code != http.StatusTooManyRequests:
		return permanent(err)
	}
	return unavailable(err)
}

// Close closes idle connections.
func (w *webhookPublisher) Close() error {
	w.client.CloseIdleConnections()
	return nil
}
