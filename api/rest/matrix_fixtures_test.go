package rest_test

import (
	"fmt"
	"net/http"
	"time"
)

// fixture makes one request to a route and says what a principal the matrix lets in gets.
type fixture struct {
	// prepare returns the request path and body; it may create what the route acts on, so
	// that every principal acts on a resource of its own.
	prepare func(w *matrixWorld) (path string, body any)
	// ok is the status of a principal the route's access class lets in.
	ok int
	// per overrides ok for some principals: another team's, or a role for which the domain
	// decides otherwise (a request waiting for approval).
	per map[string]int
}

// static is a request that needs nothing prepared.
func static(path string, body any) func(*matrixWorld) (string, any) {
	return func(*matrixWorld) (string, any) { return path, body }
}

// otherTeamForbidden is the override for resources of team payments.
var otherTeamForbidden = map[string]int{"devops-other-team": http.StatusForbidden}

// fixtures has an entry for every route of the table: TestAccessMatrix fails on a route
// without one, so a new route cannot go untested.
var fixtures = map[string]fixture{
	"POST /api/v1/acme/eab-keys": {prepare: static("/api/v1/acme/eab-keys", map[string]any{"provisioner": "matrix", "team": teamPayments}),
		ok: http.StatusCreated},
	"POST /api/v1/cas": {prepare: func(w *matrixWorld) (string, any) {
		return "/api/v1/cas", map[string]any{"name": w.unique("ca"), "common_name": "Sub", "key_algorithm": "ecdsa-p256", "parent_id": w.caID}
	}, ok: http.StatusCreated},
	"GET /api/v1/cas":     {prepare: static("/api/v1/cas", nil), ok: http.StatusOK},
	"GET /api/v1/cas/:id": {prepare: func(w *matrixWorld) (string, any) { return "/api/v1/cas/" + w.caID, nil }, ok: http.StatusOK},
	"GET /api/v1/cas/:id/certificate": {prepare: func(w *matrixWorld) (string, any) {
		return "/api/v1/cas/" + w.caID + "/certificate", nil
	}, ok: http.StatusOK},
	"GET /api/v1/cas/:id/chain": {prepare: func(w *matrixWorld) (string, any) { return "/api/v1/cas/" + w.caID + "/chain", nil }, ok: http.StatusOK},
	"GET /api/v1/cas/:id/history": {prepare: func(w *matrixWorld) (string, any) {
		return "/api/v1/cas/" + w.caID + "/history", nil
	}, ok: http.StatusOK},
	"POST /api/v1/cas/:id/revoke": {prepare: func(w *matrixWorld) (string, any) {
		sub := w.mustCreate("/api/v1/cas", map[string]any{"name": w.unique("ca"), "common_name": "Sub", "key_algorithm": "ecdsa-p256", "parent_id": w.caID})
		return "/api/v1/cas/" + sub["id"].(string) + "/revoke", map[string]any{"reason": "cessationOfOperation"}
	}, ok: http.StatusOK},

	"POST /api/v1/profiles": {prepare: func(w *matrixWorld) (string, any) {
		return "/api/v1/profiles", map[string]any{"name": w.unique("profile"), "allowed_domains": []string{"example.com"},
			"key_types": []string{"ecdsa-p256"}, "max_validity_days": 90}
	}, ok: http.StatusCreated},
	"GET /api/v1/profiles":       {prepare: static("/api/v1/profiles", nil), ok: http.StatusOK},
	"GET /api/v1/profiles/:name": {prepare: static("/api/v1/profiles/payments-web", nil), ok: http.StatusOK, per: otherTeamForbidden},
	"PUT /api/v1/profiles/:name": {prepare: func(w *matrixWorld) (string, any) {
		name := w.unique("profile")
		spec := map[string]any{"name": name, "allowed_domains": []string{"example.com"}, "key_types": []string{"ecdsa-p256"}, "max_validity_days": 90}
		w.mustCreate("/api/v1/profiles", spec)
		spec["max_validity_days"] = 30
		return "/api/v1/profiles/" + name, spec
	}, ok: http.StatusOK},

	"POST /api/v1/certificates": {prepare: func(w *matrixWorld) (string, any) {
		return "/api/v1/certificates", map[string]any{"ca_id": w.caID, "profile": "payments-web", "csr": csr(w.t, w.unique("req")),
			"team": teamPayments, "owner": "owner@example.com"}
	}, ok: http.StatusCreated, per: map[string]int{
		"devops-other-team": http.StatusForbidden, // not its team
		"secops":            http.StatusAccepted,  // the team's profile needs approval for anyone else
		"admin":             http.StatusAccepted,
	}},
	"GET /api/v1/certificates": {prepare: static("/api/v1/certificates?limit=5", nil), ok: http.StatusOK},
	"GET /api/v1/certificates/:id": {prepare: func(w *matrixWorld) (string, any) {
		return "/api/v1/certificates/" + w.certificate("payments-web")["id"].(string), nil
	}, ok: http.StatusOK, per: otherTeamForbidden},
	"GET /api/v1/certificates/:id/certificate": {prepare: func(w *matrixWorld) (string, any) {
		return "/api/v1/certificates/" + w.certificate("payments-web")["id"].(string) + "/certificate?format=chain", nil
	}, ok: http.StatusOK, per: otherTeamForbidden},
	"GET /api/v1/certificates/:id/history": {prepare: func(w *matrixWorld) (string, any) {
		return "/api/v1/certificates/" + w.certificate("payments-web")["id"].(string) + "/history", nil
	}, ok: http.StatusOK, per: otherTeamForbidden},
	"POST /api/v1/certificates/:id/approve": {prepare: func(w *matrixWorld) (string, any) {
		return "/api/v1/certificates/" + w.certificate("shared-web")["id"].(string) + "/approve", map[string]any{"reason": "checked"}
	}, ok: http.StatusOK},
	"POST /api/v1/certificates/:id/reject": {prepare: func(w *matrixWorld) (string, any) {
		return "/api/v1/certificates/" + w.certificate("shared-web")["id"].(string) + "/reject", map[string]any{"reason": "no"}
	}, ok: http.StatusOK},
	// Approval issues at once, so an issued certificate shows that issue is let in (409:
	// nothing to issue) without a state the API cannot reach.
	"POST /api/v1/certificates/:id/issue": {prepare: func(w *matrixWorld) (string, any) {
		return "/api/v1/certificates/" + w.certificate("payments-web")["id"].(string) + "/issue", nil
	}, ok: http.StatusConflict},
	"POST /api/v1/certificates/:id/revoke": {prepare: func(w *matrixWorld) (string, any) {
		return "/api/v1/certificates/" + w.certificate("payments-web")["id"].(string) + "/revoke", map[string]any{"reason": "superseded"}
	}, ok: http.StatusOK, per: otherTeamForbidden},
	"POST /api/v1/certificates/:id/renew": {prepare: func(w *matrixWorld) (string, any) {
		return "/api/v1/certificates/" + w.certificate("payments-web")["id"].(string) + "/renew", map[string]any{"csr": csr(w.t, w.unique("renew"))}
	}, ok: http.StatusCreated, per: map[string]int{
		"devops-other-team": http.StatusForbidden, "secops": http.StatusAccepted, "admin": http.StatusAccepted}},

	// A signing key of team payments; its signatures are asked for by its team, approved by SEC_OPS
	// (ADMIN is no SEC_OPS approver), and shown to those who see the team.
	"POST /api/v1/signing-keys": {prepare: func(w *matrixWorld) (string, any) {
		return "/api/v1/signing-keys", map[string]any{"name": w.unique("key"), "team": teamPayments, "ca_id": w.caID,
			"common_name": "Payments release", "policy": map[string]any{"approvals": 0}}
	}, ok: http.StatusCreated},
	"GET /api/v1/signing-keys/:id": {prepare: func(w *matrixWorld) (string, any) {
		return "/api/v1/signing-keys/" + w.signingKey(0), nil
	}, ok: http.StatusOK, per: otherTeamForbidden},
	"POST /api/v1/signing-keys/:id/disable": {prepare: func(w *matrixWorld) (string, any) {
		return "/api/v1/signing-keys/" + w.signingKey(0) + "/disable", map[string]any{"reason": "incident"}
	}, ok: http.StatusOK},
	"POST /api/v1/signing-keys/:id/enable": {prepare: func(w *matrixWorld) (string, any) {
		key := w.signingKey(0)
		w.mustCreate("/api/v1/signing-keys/"+key+"/disable", map[string]any{"reason": "incident"})
		return "/api/v1/signing-keys/" + key + "/enable", nil
	}, ok: http.StatusOK},
	"POST /api/v1/signing-keys/:id/revoke": {prepare: func(w *matrixWorld) (string, any) {
		return "/api/v1/signing-keys/" + w.signingKey(0) + "/revoke", map[string]any{"reason": "keyCompromise"}
	}, ok: http.StatusOK},
	"POST /api/v1/signing-keys/:id/rotate": {prepare: func(w *matrixWorld) (string, any) {
		return "/api/v1/signing-keys/" + w.signingKey(0) + "/rotate", map[string]any{"reason": "yearly"}
	}, ok: http.StatusCreated},
	"POST /api/v1/signing-keys/:id/signatures": {prepare: func(w *matrixWorld) (string, any) {
		return "/api/v1/signing-keys/" + w.signingKey(0) + "/signatures", w.digestBody()
	}, ok: http.StatusCreated, per: notOnTheKeysTeam},
	// Every reader sees the list; another team's DEVOPS sees it without team payments' requests.
	"GET /api/v1/pending-signatures": {prepare: func(w *matrixWorld) (string, any) {
		return "/api/v1/pending-signatures", nil
	}, ok: http.StatusOK},
	"GET /api/v1/signing-keys/:id/signatures/:sid": {prepare: func(w *matrixWorld) (string, any) {
		return w.pendingSignature(), nil
	}, ok: http.StatusOK, per: otherTeamForbidden},
	"POST /api/v1/signing-keys/:id/signatures/:sid/approve": {prepare: func(w *matrixWorld) (string, any) {
		return w.pendingSignature() + "/approve", nil
	}, ok: http.StatusOK, per: map[string]int{"admin": http.StatusForbidden}},
	"POST /api/v1/signing-keys/:id/signatures/:sid/refuse": {prepare: func(w *matrixWorld) (string, any) {
		return w.pendingSignature() + "/refuse", map[string]any{"reason": "not this build"}
	}, ok: http.StatusOK},

	"GET /api/v1/me":           {prepare: static("/api/v1/me", nil), ok: http.StatusOK},
	"GET /api/v1/openapi.json": {prepare: static("/api/v1/openapi.json", nil), ok: http.StatusOK},

	// Every role may mint a VIEWER token for itself.
	"POST /api/v1/scep/challenges": {prepare: static("/api/v1/scep/challenges", map[string]any{"provisioner": "devices", "team": "payments", "ttl": "1h"}),
		ok: http.StatusCreated},
	"POST /api/v1/tokens": {prepare: static("/api/v1/tokens", map[string]any{"role": "VIEWER", "ttl": "24h"}), ok: http.StatusCreated},
	"GET /api/v1/tokens":  {prepare: static("/api/v1/tokens", nil), ok: http.StatusOK},
	// An admin's token is shown to SEC_OPS and ADMIN, and revoked by them, not by the others.
	"GET /api/v1/tokens/:id": {prepare: func(w *matrixWorld) (string, any) {
		return "/api/v1/tokens/" + w.adminToken()["id"].(string), nil
	}, ok: http.StatusOK, per: notTheirToken},
	"POST /api/v1/tokens/:id/revoke": {prepare: func(w *matrixWorld) (string, any) {
		return "/api/v1/tokens/" + w.adminToken()["id"].(string) + "/revoke", map[string]any{"reason": "rotated"}
	}, ok: http.StatusOK, per: notTheirToken},

	// Discovery: a scan of a fresh scope each time; discovered certificates have no team.
	"POST /api/v1/discovery/scans": {prepare: func(w *matrixWorld) (string, any) {
		now := time.Now().UTC()
		return "/api/v1/discovery/scans", map[string]any{"scope": w.unique("scope"), "source": "matrix",
			"started_at": now.Add(-time.Second), "finished_at": now, "sightings": []map[string]any{
				{"location": map[string]any{"kind": "network", "address": "192.0.2.1:443"}, "outcome": "refused"}}}
	}, ok: http.StatusCreated},
	"GET /api/v1/discovery/certificates": {prepare: static("/api/v1/discovery/certificates", nil), ok: http.StatusOK, per: notEveryTeam},
	// Adoption of a certificate a fresh scan found, for team payments in its profile.
	"POST /api/v1/discovery/certificates/:fingerprint/adopt": {prepare: func(w *matrixWorld) (string, any) {
		return "/api/v1/discovery/certificates/" + w.discovered() + "/adopt",
			map[string]any{"team": teamPayments, "owner": "ops", "profile": "payments-web"}
	}, ok: http.StatusCreated},
	// Renewals of team payments: DEVOPS of another team may not read them.
	"GET /api/v1/renewals": {prepare: static("/api/v1/renewals?team=payments", nil), ok: http.StatusOK, per: otherTeamForbidden},

	// The event stream shows every team's events; follow=false makes the request end.
	"GET /api/v1/events/stream": {prepare: static("/api/v1/events/stream?follow=false&from=start", nil), ok: http.StatusOK, per: notEveryTeam},

	// The audit routes prove what a checkpoint covers; matrixWorld.checkpoint signs one first.
	"GET /api/v1/audit/key": {prepare: static("/api/v1/audit/key", nil), ok: http.StatusOK},
	"GET /api/v1/audit/checkpoints/latest": {prepare: func(w *matrixWorld) (string, any) {
		w.checkpoint()
		return "/api/v1/audit/checkpoints/latest", nil
	}, ok: http.StatusOK},
	"GET /api/v1/audit/proofs/inclusion/:event_id": {prepare: func(w *matrixWorld) (string, any) {
		return "/api/v1/audit/proofs/inclusion/" + w.checkpointedEvent(), nil
	}, ok: http.StatusOK, per: notEveryTeam},
	"GET /api/v1/audit/proofs/consistency": {prepare: func(w *matrixWorld) (string, any) {
		size := w.checkpoint().TreeSize
		return fmt.Sprintf("/api/v1/audit/proofs/consistency?from=%d&to=%d", size, size), nil
	}, ok: http.StatusOK},

	// Reports of team payments: DEVOPS of another team may not read them; without a team,
	// DEVOPS reads its own (reports_test.go).
	"GET /api/v1/reports/expiry":     {prepare: static("/api/v1/reports/expiry?team=payments&group_by=ca", nil), ok: http.StatusOK, per: otherTeamForbidden},
	"GET /api/v1/reports/compliance": {prepare: static("/api/v1/reports/compliance?team=payments", nil), ok: http.StatusOK, per: otherTeamForbidden},
	"GET /api/v1/reports/pqc":        {prepare: static("/api/v1/reports/pqc?team=payments&harvest_date=2031-06-30", nil), ok: http.StatusOK, per: otherTeamForbidden},
	"GET /api/v1/reports/cost":       {prepare: static("/api/v1/reports/cost?team=payments&format=csv", nil), ok: http.StatusOK, per: otherTeamForbidden},
	"GET /api/v1/cluster":            {prepare: static("/api/v1/cluster", nil), ok: http.StatusOK},
}

// notEveryTeam is the override for what shows every team's data, which DEVOPS may not read.
var notEveryTeam = map[string]int{"devops": http.StatusForbidden, "devops-other-team": http.StatusForbidden,
	"requester": http.StatusForbidden}

// notTheirToken is the override for a token someone else minted.
var notTheirToken = map[string]int{"viewer": http.StatusForbidden, "devops": http.StatusForbidden,
	"devops-other-team": http.StatusForbidden, "requester": http.StatusForbidden}
