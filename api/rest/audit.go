package rest

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/projections/audit"
)

// AuditKeyIDHeader carries the audit key's id (domain.AuditKeyID) with GET /audit/key.
const AuditKeyIDHeader = "X-Audit-Key-Id"

// Audit is what the audit routes need of the audit read model (*audit.Queries): the tree,
// its checkpoints and proofs.
type Audit interface {
	LatestCheckpoint(ctx context.Context) (audit.Checkpoint, error)
	Checkpoint(ctx context.Context, size int64) (audit.Checkpoint, error)
	Leaf(ctx context.Context, eventID uuid.UUID) (audit.Leaf, error)
	InclusionProof(ctx context.Context, index, size int64) (tlog.RecordProof, error)
	ConsistencyProof(ctx context.Context, from, to int64) (tlog.TreeProof, error)
}

// AuditKey is the audit public key that signs checkpoints (*commands.Queries).
type AuditKey interface {
	AuditKey(ctx context.Context) (crypto.PublicKey, error)
}

// auditRoutes are the audit routes: everything a verifier needs to check, offline, that an
// event is in a signed checkpoint and that checkpoints extend each other.
func (h *handlers) auditRoutes() []Route {
	return []Route{
		{http.MethodGet, "/audit/key", Read, "The audit public key that signs checkpoints, as PEM", h.auditKey},
		{http.MethodGet, "/audit/checkpoints/latest", Read, "The newest signed checkpoint of the Merkle tree over $all", h.latestCheckpoint},
		{http.MethodGet, "/audit/proofs/inclusion/:event_id", Read, "Prove that an event is in a signed checkpoint", h.inclusionProof},
		{http.MethodGet, "/audit/proofs/consistency", Read, "Prove that one checkpointed tree extends another", h.consistencyProof},
	}
}

func (h *handlers) auditKey(c echo.Context) error {
	pub, err := h.AuditKey.AuditKey(c.Request().Context())
	if err != nil {
		return err
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return fmt.Errorf("audit key: %w", err)
	}
	id, err := domain.AuditKeyID(pub)
	if err != nil {
		return err
	}
	c.Response().Header().Set(AuditKeyIDHeader, id)
	return c.Blob(http.StatusOK, mediaPEM, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

func (h *handlers) latestCheckpoint(c echo.Context) error {
	cp, err := h.Audit.LatestCheckpoint(c.Request().Context())
	if errors.Is(err, audit.ErrNotFound) {
		return problemOf(&domain.Error{Kind: domain.KindNotFound, Message: "no checkpoint has been signed yet"})
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, auditCheckpoint(cp))
}

// inclusionProof proves an event is leaf i of a checkpointed tree: the latest checkpoint's, or
// that of ?tree_size=N. 404 for an event the tree does not have, 409 for one no checkpoint
// covers yet.
func (h *handlers) inclusionProof(c echo.Context) error {
	ctx := c.Request().Context()
	if _, all := readScope(actorOf(c)); !all {
		return forbidden("%s may not ask for inclusion proofs: a proof names the stream of any event, every team's, "+
			"and DEVOPS reads only its team's certificates (their histories carry the events' hashes)", actorOf(c).Subject)
	}
	id, err := uuid.Parse(c.Param("event_id"))
	if err != nil {
		return badRequest("event id " + strconv.Quote(c.Param("event_id")) + " is not a UUID")
	}
	leaf, err := h.Audit.Leaf(ctx, id)
	if errors.Is(err, audit.ErrNotFound) {
		return problemOf(&domain.Error{Kind: domain.KindNotFound,
			Message: "the audit tree has no event " + id.String() + " (no such ledger event, or not projected yet)"})
	}
	if err != nil {
		return err
	}
	cp, err := h.checkpointOf(c, "tree_size")
	if errors.Is(err, audit.ErrNotFound) && c.QueryParam("tree_size") == "" {
		return notCovered(id, leaf, "no checkpoint has been signed yet")
	}
	if err != nil {
		return err
	}
	if leaf.Index >= cp.TreeSize {
		return notCovered(id, leaf, fmt.Sprintf("the checkpoint covers leaves 0 to %d", cp.TreeSize-1))
	}
	proof, err := h.Audit.InclusionProof(ctx, leaf.Index, cp.TreeSize)
	if err != nil {
		return beyondTree(err)
	}
	return c.JSON(http.StatusOK, wire.InclusionProof{Checkpoint: auditCheckpoint(cp),
		Event: wire.ProofEvent{ID: leaf.EventID.String(), Stream: leaf.Stream, Revision: leaf.Revision, Position: leaf.Position,
			Hash: leaf.EventHash.String()},
		LeafIndex: leaf.Index, Proof: hashesOf(proof), TreeSize: cp.TreeSize})
}

func notCovered(id uuid.UUID, leaf audit.Leaf, why string) error {
	return problemOf(&domain.Error{Kind: domain.KindConflict, Message: fmt.Sprintf(
		"event %s is leaf %d, which no checkpoint covers yet (%s); ask again after the next checkpoint", id, leaf.Index, why)})
}

// consistencyProof proves the checkpointed tree of ?from=A leaves is a prefix of that of ?to=B.
func (h *handlers) consistencyProof(c echo.Context) error {
	from, err := h.checkpointOf(c, "from")
	if err != nil {
		return err
	}
	to, err := h.checkpointOf(c, "to")
	if err != nil {
		return err
	}
	if from.TreeSize > to.TreeSize {
		return badRequest(fmt.Sprintf("from (%d) must not be above to (%d)", from.TreeSize, to.TreeSize))
	}
	proof, err := h.Audit.ConsistencyProof(c.Request().Context(), from.TreeSize, to.TreeSize)
	if err != nil {
		return beyondTree(err)
	}
	return c.JSON(http.StatusOK, wire.ConsistencyProof{From: from.TreeSize, Proof: hashesOf(proof), To: to.TreeSize})
}

// checkpointOf returns the checkpoint whose size the query parameter param names, or the latest
// one when it is absent and not required (tree_size). It answers 400 for a bad number and 404 for
// a size no checkpoint has; without any checkpoint the error wraps audit.ErrNotFound.
func (h *handlers) checkpointOf(c echo.Context, param string) (audit.Checkpoint, error) {
	ctx := c.Request().Context()
	raw := c.QueryParam(param)
	if raw == "" && param == "tree_size" {
		return h.Audit.LatestCheckpoint(ctx)
	}
	size, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || size < 1 {
		return audit.Checkpoint{}, badRequest(param + " " + strconv.Quote(raw) + " is not a tree size (a number from 1)")
	}
	cp, err := h.Audit.Checkpoint(ctx, size)
	if errors.Is(err, audit.ErrNotFound) {
		return cp, problemOf(&domain.Error{Kind: domain.KindNotFound, Message: fmt.Sprintf("no checkpoint has tree size %d", size)})
	}
	return cp, err
}

// beyondTree is a 409 for a checkpoint of a tree the read model does not hold (yet): one that
// it is still catching up with, or one that was never the ledger's.
func beyondTree(err error) error {
	if errors.Is(err, audit.ErrBeyondTree) {
		return problemOf(&domain.Error{Kind: domain.KindConflict, Message: "the audit read model does not hold that tree: " + err.Error()})
	}
	return err
}

// hashesOf returns proof hashes as byte strings (base64 each in JSON); never nil.
func hashesOf(proof []tlog.Hash) [][]byte {
	out := make([][]byte, len(proof))
	for i := range proof {
		out[i] = proof[i][:]
	}
	return out
}
