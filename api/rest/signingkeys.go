package rest

import (
	"encoding/pem"
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
)

func (h *handlers) signingKeyRoutes() []Route {
	return []Route{
		{http.MethodPost, "/signing-keys", Administer, "Create a code-signing key in the HSM with its certificate from a ledger CA", h.createSigningKey},
		{http.MethodGet, "/signing-keys/:id", Read, "Show a signing key, its certificate, chain and policy", h.getSigningKey},
		{http.MethodPost, "/signing-keys/:id/disable", Administer, "Disable a signing key", h.onSigningKey("disable_signing_key", h.Commands.DisableSigningKey)},
		{http.MethodPost, "/signing-keys/:id/enable", Administer, "Enable a disabled signing key", h.onSigningKey("enable_signing_key", h.Commands.EnableSigningKey)},
		{http.MethodPost, "/signing-keys/:id/revoke", Administer, "Revoke a signing key's certificate; the key signs nothing more", h.onSigningKey("revoke_signing_key", h.Commands.RevokeSigningKey)},
		{http.MethodPost, "/signing-keys/:id/rotate", Administer, "Rotate a signing key: a new key and certificate succeed it; it signs nothing more and still verifies", h.rotateSigningKey},
		{http.MethodPost, "/signing-keys/:id/signatures", Request, "Sign an artifact's digest; signed at once (201) or pending approval (202)", h.signDigest},
		{http.MethodGet, "/pending-signatures", Read, "List the signature requests waiting for approval (key_id=), oldest first", h.listPendingSignatures},
		{http.MethodGet, "/signing-keys/:id/signatures/:sid", Read, "Show a signature request, with its signature and CMS once signed", h.getSignature},
		{http.MethodPost, "/signing-keys/:id/signatures/:sid/approve", Approve, "Approve a pending signature request; the last approval needed signs it", h.approveSignature},
		{http.MethodPost, "/signing-keys/:id/signatures/:sid/refuse", Approve, "Refuse a pending signature request", h.refuseSignature},
	}
}

func (h *handlers) createSigningKey(c echo.Context) error {
	var req wire.CreateSigningKeyRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	ca, err := optionalUUID("ca_id", req.CAID)
	if err != nil {
		return err
	}
	if req.KeyAlgorithm == "" {
		req.KeyAlgorithm = string(domain.KeyECDSAP256)
	}
	if req.Usage == "" {
		req.Usage = string(domain.UsageCode)
	}
	if req.ValidityDays == 0 {
		req.ValidityDays = 365
	}
	cmd := commands.CreateSigningKey{CommandID: commandID(c), CAID: ca, Name: req.Name, Team: req.Team,
		Usage: domain.KeyUsageKind(req.Usage), KeyType: domain.KeyType(req.KeyAlgorithm), CommonName: req.CommonName,
		ValidityDays: req.ValidityDays, Policy: policyOf(req.Policy)}
	cmd.KeyID = uuid.NewSHA1(cmd.CommandID, []byte("signing-key"))
	if _, err := h.run("create_signing_key", func() (commands.Result, error) {
		return h.Commands.CreateSigningKey.Handle(c.Request().Context(), cmd, caller(c))
	}); err != nil {
		return err
	}
	return h.showSigningKey(c, http.StatusCreated, cmd.KeyID)
}

func (h *handlers) getSigningKey(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	return h.showSigningKey(c, http.StatusOK, id)
}

// onSigningKey runs a lifecycle decision on the key in the path, under the request's If-Match.
func (h *handlers) onSigningKey(name string, run Handler[commands.SigningKeyDecision]) echo.HandlerFunc {
	return func(c echo.Context) error {
		var body wire.Decision
		id, call, err := readCommandOn(c, &body)
		if err != nil {
			return err
		}
		cmd := commands.SigningKeyDecision{CommandID: commandID(c), KeyID: id, Reason: body.Reason, InvalidityDate: body.InvalidityDate}
		if _, err := h.run(name, func() (commands.Result, error) { return run.Handle(c.Request().Context(), cmd, call) }); err != nil {
			return err
		}
		return h.showSigningKey(c, http.StatusOK, id)
	}
}

// rotateSigningKey answers with the successor, 201: a new key whose id comes from the command's.
func (h *handlers) rotateSigningKey(c echo.Context) error {
	var body wire.Decision
	id, call, err := readCommandOn(c, &body)
	if err != nil {
		return err
	}
	cmd := commands.RotateSigningKey{CommandID: commandID(c), KeyID: id, Reason: body.Reason}
	cmd.NewKeyID = uuid.NewSHA1(cmd.CommandID, []byte("signing-key"))
	if _, err := h.run("rotate_signing_key", func() (commands.Result, error) {
		return h.Commands.RotateSigningKey.Handle(c.Request().Context(), cmd, call)
	}); err != nil {
		return err
	}
	return h.showSigningKey(c, http.StatusCreated, cmd.NewKeyID)
}

// showSigningKey answers with a key's state from its stream, its revision as the ETag.
func (h *handlers) showSigningKey(c echo.Context, status int, id uuid.UUID) error {
	k, err := h.Aggregates.SigningKey(c.Request().Context(), id)
	if err != nil {
		return problemOf(err)
	}
	if !mayRead(actorOf(c), k.Team()) {
		return notVisible("signing key " + id.String())
	}
	cert := k.Certificate()
	var chain []byte
	for _, ca := range k.Chain() {
		chain = append(chain, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Raw})...)
	}
	p := k.Policy()
	resp := wire.SigningKey{ID: k.ID(), Name: k.Name(), Team: k.Team(), Usage: string(k.Usage()), KeyAlgorithm: string(k.KeyType()),
		Status: string(k.Status()), CAID: k.CAID(), Serial: k.Serial(), NotBefore: cert.NotBefore, NotAfter: cert.NotAfter,
		Policy: wire.SigningPolicy{Teams: p.Teams, Principals: p.Principals, Approvals: p.Approvals, Approvers: p.Approvers,
			Windows: p.Windows},
		Certificate: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})), Chain: string(chain),
		SuccessorID: k.Successor(), Revision: uint64(k.Version() - 1)}
	for _, a := range p.DigestAlgorithms {
		resp.Policy.DigestAlgorithms = append(resp.Policy.DigestAlgorithms, string(a))
	}
	setETag(c, resp.Revision)
	return c.JSON(status, resp)
}

// policyOf is the domain's policy of a request's.
func policyOf(p wire.SigningPolicy) domain.SigningPolicy {
	out := domain.SigningPolicy{Teams: p.Teams, Principals: p.Principals, Approvals: p.Approvals, Approvers: p.Approvers,
		Windows: p.Windows}
	for _, a := range p.DigestAlgorithms {
		out.DigestAlgorithms = append(out.DigestAlgorithms, domain.DigestAlgorithm(a))
	}
	return out
}
