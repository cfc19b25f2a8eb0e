package rest

import (
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// historyEvent is one event of a stream as the history routes show it: who did what, when,
// and the hashes that chain it to the events before.
type historyEvent struct {
	ID            string       `json:"id"`
	Revision      uint64       `json:"revision"`
	Type          string       `json:"type"`
	OccurredAt    time.Time    `json:"occurred_at"`
	Actor         events.Actor `json:"actor"`
	CorrelationID string       `json:"correlation_id,omitempty"`
	Position      uint64       `json:"position"`
	PrevHash      string       `json:"prev_hash"`
	Hash          string       `json:"hash"`
	Data          rawJSON      `json:"data"`
}

// rawJSON is an event's payload, shown as the JSON it was stored as.
type rawJSON []byte

func (r rawJSON) MarshalJSON() ([]byte, error) { return r, nil }

func (h *handlers) certificateHistory(c echo.Context) error {
	cert, err := h.visibleCertificate(c)
	if err != nil {
		return err
	}
	return h.history(c, events.StreamName(events.CategoryCertificate, uuid.MustParse(cert.ID())))
}

func (h *handlers) caHistory(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	return h.history(c, events.StreamName(events.CategoryCA, id))
}

// history answers with the events of a stream, their chain verified on the way.
func (h *handlers) history(c echo.Context, stream string) error {
	envs, head, err := h.History.Load(c.Request().Context(), stream)
	if err != nil {
		return err
	}
	if !head.Exists() {
		return problemOf(&domain.Error{Kind: domain.KindNotFound, Message: "stream " + stream + " has no events"})
	}
	out := make([]historyEvent, len(envs))
	for i, e := range envs {
		out[i] = historyEvent{ID: e.ID.String(), Revision: e.Revision, Type: e.Type, OccurredAt: e.Metadata.OccurredAt,
			Actor: e.Metadata.Actor, CorrelationID: e.Metadata.CorrelationID,
			Position: e.Position, PrevHash: e.PrevHash.String(), Hash: e.Hash.String(), Data: rawJSON(e.Data)}
	}
	setETag(c, head.Next-1)
	return c.JSON(http.StatusOK, map[string]any{"stream": stream, "events": out})
}
