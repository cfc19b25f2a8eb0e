package rest

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/certledger/certledger/api"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
)

// problemTypes gives each kind of error a stable problem type URI.
var problemTypes = map[domain.ErrorKind]struct {
	status int
	typ    string
}{
	domain.KindInvalid:   {http.StatusBadRequest, "https://certledger.dev/problems/invalid-request"},
	domain.KindPolicy:    {http.StatusUnprocessableEntity, "https://certledger.dev/problems/policy-violation"},
	domain.KindConflict:  {http.StatusConflict, "https://certledger.dev/problems/conflict"},
	domain.KindNotFound:  {http.StatusNotFound, "https://certledger.dev/problems/not-found"},
	domain.KindForbidden: {http.StatusForbidden, "https://certledger.dev/problems/forbidden"},
}

// problemOf maps a command's error to the problem the client sees; errors of unknown kind stay
// internal and become a 500 in the server's error handler.
func problemOf(err error) error {
	var de *domain.Error
	if errors.As(err, &de) {
		pt := problemTypes[de.Kind]
		p := &api.Problem{Type: pt.typ, Title: http.StatusText(pt.status), Status: pt.status, Detail: de.Message}
		for _, v := range de.Violations {
			p.Violations = append(p.Violations, api.Violation{Field: v.Field, Rule: v.Rule, Message: v.Message})
		}
		return p
	}
	if errors.Is(err, commands.ErrPreconditionFailed) {
		return &api.Problem{Type: "https://certledger.dev/problems/precondition-failed", Title: "Precondition Failed",
			Status: http.StatusPreconditionFailed, Detail: err.Error() + "; read the resource again and retry with its ETag"}
	}
	if errors.Is(err, commands.ErrConflict) {
		return &api.Problem{Type: problemTypes[domain.KindConflict].typ, Title: "Conflict", Status: http.StatusConflict,
			Detail: "the resource kept changing while the command ran; retry it"}
	}
	return err
}

// badRequest is a 400 for input that could not be read.
func badRequest(detail string) error {
	return &api.Problem{Type: problemTypes[domain.KindInvalid].typ, Title: "Bad Request", Status: http.StatusBadRequest, Detail: detail}
}

// tooLarge is a 413 for a body over limit bytes.
func tooLarge(limit int) error {
	return &api.Problem{Type: "https://certledger.dev/problems/too-large", Title: "Request Entity Too Large",
		Status: http.StatusRequestEntityTooLarge, Detail: fmt.Sprintf("the request body is over %d KiB", limit>>10)}
}
