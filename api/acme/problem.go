package acme

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/certledger/certledger/domain"
)

// ProblemContentType is the media type of every ACME error.
const ProblemContentType = "application/problem+json"

const errPrefix = "urn:ietf:params:acme:error:"

// Problem is an ACME error document (RFC 8555 §6.7), with its HTTP status.
type Problem struct {
	Type        string    `json:"type"`
	Detail      string    `json:"detail"`
	Status      int       `json:"status"`
	Subproblems []Problem `json:"subproblems,omitempty"`
}

func (p *Problem) Error() string { return p.Type + ": " + p.Detail }

func problem(status int, kind, format string, args ...any) *Problem {
	return &Problem{Type: errPrefix + kind, Detail: fmt.Sprintf(format, args...), Status: status}
}

func malformed(format string, args ...any) *Problem {
	return problem(http.StatusBadRequest, "malformed", format, args...)
}

// problemOf maps a command's error to an ACME problem. policy is the ACME type a KindPolicy
// error stands for where it happens (rejectedIdentifier at newOrder, badCSR at finalize);
// errors that are not the domain's are internal.
func problemOf(err error, policy string) *Problem {
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	var de *domain.Error
	if !errors.As(err, &de) {
		return problem(http.StatusInternalServerError, "serverInternal", "the server could not complete the request")
	}
	switch de.Kind {
	case domain.KindPolicy:
		out := problem(http.StatusBadRequest, policy, "%s", de.Message)
		for _, v := range de.Violations {
			out.Subproblems = append(out.Subproblems, *problem(http.StatusBadRequest, policy, "%s", v.Message))
		}
		return out
	case domain.KindForbidden:
		return problem(http.StatusForbidden, "unauthorized", "%s", de.Error())
	case domain.KindNotFound:
		return problem(http.StatusNotFound, "malformed", "%s", de.Error())
	case domain.KindConflict:
		return problem(http.StatusForbidden, "orderNotReady", "%s", de.Error())
	}
	if policy == "badCSR" {
		return problem(http.StatusBadRequest, "badCSR", "%s", de.Error())
	}
	return malformed("%s", de.Error())
}
