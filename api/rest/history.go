package rest

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

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
	out := wire.History{Events: make([]wire.HistoryEvent, len(envs)), Stream: stream}
	for i, e := range envs {
		out.Events[i] = wire.HistoryEvent{ID: e.ID.String(), Revision: e.Revision, Type: e.Type, OccurredAt: e.Metadata.OccurredAt,
			Actor: eventActor(e.Metadata.Actor), CorrelationID: e.Metadata.CorrelationID,
			Position: e.Position, PrevHash: e.PrevHash.String(), Hash: e.Hash.String(), Data: e.Data}
	}
	setETag(c, head.Next-1)
	return c.JSON(http.StatusOK, out)
}
