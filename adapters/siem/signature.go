package siem

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// The webhook's content type and signature headers.
const (
	ContentTypeCloudEvents = "application/cloudevents+json"
	HeaderTimestamp        = "X-Certledger-Timestamp"
	HeaderSignature        = "X-Certledger-Signature"
)

// minSecret is the shortest webhook secret accepted.
const minSecret = 16

// Sign returns the X-Certledger-Signature value of a body sent at timestamp (Unix seconds in
// decimal, the X-Certledger-Timestamp value): "sha256=" and the lowercase hex of
// HMAC-SHA256(secret, timestamp + "." + body).
func Sign(secret []byte, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(timestamp))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// VerifySignature checks a webhook delivery as a receiver should: the signature must be Sign's
// for exactly these body bytes (compared in constant time), and the timestamp must lie within
// tolerance of now, so that a captured request cannot be replayed later. A delivery may arrive
// more than once; receivers deduplicate on the CloudEvent id.
func VerifySignature(secret []byte, timestamp, signature string, body []byte, now time.Time,
	tolerance time.Duration) error {
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("webhook: %s %q is not Unix seconds", HeaderTimestamp, timestamp)
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("webhook: timestamp %s is %v away from now, beyond %v", timestamp, d.Round(time.Second), tolerance)
	}
	if !hmac.Equal([]byte(signature), []byte(Sign(secret, timestamp, body))) {
		return errors.New("webhook: the signature does not match the body")
	}
	return nil
}

// VerifyRequest reads a webhook request's body (up to maxBody bytes) and verifies it with
// VerifySignature against the current time; it returns the body only when it is authentic.
func VerifyRequest(r *http.Request, secret []byte, tolerance time.Duration, maxBody int64) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("webhook: read the body: %w", err)
	}
	if int64(len(body)) > maxBody {
		return nil, fmt.Errorf("webhook: the body exceeds %d bytes", maxBody)
	}
	err = VerifySignature(secret, r.Header.Get(HeaderTimestamp), r.Header.Get(HeaderSignature), body, time.Now(), tolerance)
	if err != nil {
		return nil, err
	}
	return body, nil
}

// readSecret reads a webhook secret file; one trailing newline is not part of the secret.
func readSecret(path string) ([]byte, error) {
	if path == "" {
		return nil, errors.New("must be set")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	b = bytes.TrimSuffix(bytes.TrimSuffix(b, []byte("\n")), []byte("\r"))
	if len(b) < minSecret {
		return nil, fmt.Errorf("%s holds %d bytes; a secret needs at least %d", path, len(b), minSecret)
	}
	return b, nil
}

// loadRoots reads PEM certificates into a pool.
func loadRoots(path string) (*x509.CertPool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) || !strings.Contains(string(b), "CERTIFICATE") {
		return nil, fmt.Errorf("%s holds no PEM certificate", path)
	}
	return pool, nil
}
