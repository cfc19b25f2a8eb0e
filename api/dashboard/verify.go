package dashboard

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/client"
)

// verifyData is the outcome of "verify this history": a line per event, and the verdict.
type verifyData struct {
	ID     string
	Lines  []verifyLine
	OK     bool
	Failed string
}

type verifyLine struct {
	Revision uint64
	Type     string
	Outcome  string
	OK       bool
}

// zeroHash is the prev_hash of a stream's first event.
var zeroHash = strings.Repeat("0", 64)

// verify checks a certificate's history as a client holding only the audit key would: each
// event's prev_hash is the hash of the event before it (the first's is zero), and each event
// is a leaf of the latest signed checkpoint (its inclusion proof, checked by
// client.CheckInclusion). An event no checkpoint covers yet is said to be so, not passed.
func (db *Dashboard) verify(c echo.Context) error {
	api, ctx, id := db.apiAs(c), c.Request().Context(), c.Param("id")
	hist, err := api.CertificateHistory(ctx, id)
	if err != nil {
		return db.failed(c, "verify", "Verify history", err)
	}
	pub, err := auditKey(c, api)
	if err != nil {
		return db.failed(c, "verify", "Verify history", err)
	}
	d := verifyData{ID: id, OK: len(hist.Events) > 0}
	prev := zeroHash
	for _, e := range hist.Events {
		line := verifyLine{Revision: e.Revision, Type: e.Type, OK: true}
		if e.PrevHash != prev {
			line.OK, line.Outcome = false, fmt.Sprintf("prev_hash %s is not the previous event's hash %s", e.PrevHash, prev)
		} else {
			line.OK, line.Outcome = inclusion(c, api, pub, e.ID, e.Hash)
		}
		if !line.OK {
			d.OK = false
			if d.Failed == "" {
				d.Failed = fmt.Sprintf("revision %d: %s", e.Revision, line.Outcome)
			}
		}
		prev = e.Hash
		d.Lines = append(d.Lines, line)
	}
	return db.render(c, http.StatusOK, "verify", view{Title: "Verify history", Nav: "inventory", Data: d})
}

// inclusion checks one event's inclusion proof against the latest checkpoint.
func inclusion(c echo.Context, api *client.Client, pub crypto.PublicKey, eventID, hash string) (bool, string) {
	p, err := api.InclusionProof(c.Request().Context(), eventID, 0)
	var apiErr *client.Error
	switch {
	case errors.As(err, &apiErr) && apiErr.Status == http.StatusConflict:
		return false, "no signed checkpoint covers this event yet"
	case errors.As(err, &apiErr) && apiErr.Status == http.StatusNotFound:
		return false, "the audit tree does not hold this event yet, so no signed checkpoint covers it yet"
	}
	if err != nil {
		return false, err.Error()
	}
	if p.Event.Hash != hash {
		return false, fmt.Sprintf("the proof is of hash %s, the history says %s", p.Event.Hash, hash)
	}
	body, err := client.CheckInclusion(pub, p)
	if err != nil {
		return false, err.Error()
	}
	return true, fmt.Sprintf("leaf %d of the checkpoint of %d events signed %s", p.LeafIndex, body.TreeSize, body.SignedAt.UTC().Format("2006-01-02 15:04:05Z"))
}

// auditKey is the audit public key the API serves.
func auditKey(c echo.Context, api *client.Client) (crypto.PublicKey, error) {
	pemKey, _, err := api.AuditKey(c.Request().Context())
	if err != nil {
		return nil, fmt.Errorf("the audit key: %w", err)
	}
	block, _ := pem.Decode(pemKey)
	if block == nil {
		return nil, errors.New("the audit key the API serves is not PEM")
	}
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("the audit key: %w", err)
	}
	return pub, nil
}
