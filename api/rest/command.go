package rest

import (
	"errors"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
)

// run runs a route's command, tells Observe its outcome, and turns its error into the problem
// the client sees.
func (h *handlers) run(command string, f func() (commands.Result, error)) (commands.Result, error) {
	res, err := f()
	if h.Observe != nil {
		h.Observe(command, outcomeOf(res, err))
	}
	if err != nil {
		return res, problemOf(err)
	}
	return res, nil
}

// outcomeOf names what became of a command: ok, replayed, or the kind of its error.
func outcomeOf(res commands.Result, err error) string {
	var de *domain.Error
	switch {
	case err == nil && res.Replayed:
		return "replayed"
	case err == nil:
		return "ok"
	case errors.As(err, &de):
		return string(de.Kind)
	case errors.Is(err, commands.ErrPreconditionFailed):
		return "precondition_failed"
	case errors.Is(err, commands.ErrConflict):
		return "conflict"
	}
	return "error"
}
