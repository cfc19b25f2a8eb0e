package api

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// Check is one readiness check, such as "can the event store be read".
type Check interface {
	// Name identifies the check in the /readyz body, such as "eventstore".
	Name() string
	// Check returns nil when the dependency is usable; it must give up when ctx is done.
	Check(ctx context.Context) error
}

// CheckFunc adapts a name and a function to the Check interface.
type CheckFunc struct {
	// CheckName is returned by Name.
	CheckName string
	// Func is called by Check.
	Func func(ctx context.Context) error
}

// Name returns f.CheckName.
func (f CheckFunc) Name() string { return f.CheckName }

// Check calls f.Func.
func (f CheckFunc) Check(ctx context.Context) error { return f.Func(ctx) }

// Readiness is the body of a /readyz response.
type Readiness struct {
	// Status is "ready" when every check passed and "unavailable" otherwise.
	Status string `json:"status"`
	// Checks maps each check's name to "ok" or the text of its error.
	Checks map[string]string `json:"checks"`
	// Node is this node's id in the cluster, empty when the server was given none.
	Node string `json:"node,omitempty"`
	// Leases maps each lease the node holds (its singleton jobs) to its fencing token.
	Leases map[string]int64 `json:"leases,omitempty"`
}

// health serves the liveness and readiness endpoints.
type health struct {
	checks  []Check
	timeout time.Duration
	node    NodeInfo
}

func (h *health) healthz(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

func (h *health) readyz(c echo.Context) error {
	type result struct {
		name string
		err  error
	}
	results := make(chan result, len(h.checks)) // Buffered: a late check never blocks.
	ctx, cancel := context.WithTimeout(c.Request().Context(), h.timeout)
	defer cancel()
	for _, chk := range h.checks {
		go func() {
			results <- result{name: chk.Name(), err: runCheck(ctx, chk)}
		}()
	}

	body := Readiness{Status: "ready", Checks: make(map[string]string, len(h.checks))}
	if h.node != nil {
		body.Node, body.Leases = h.node.Node(), h.node.Held()
	}
	for _, chk := range h.checks {
		body.Checks[chk.Name()] = fmt.Sprintf("timed out after %s", h.timeout)
	}
collect:
	for range h.checks {
		select {
		case r := <-results:
			body.Checks[r.name] = "ok"
			if r.err != nil {
				body.Checks[r.name] = r.err.Error()
			}
		case <-ctx.Done():
			break collect // The checks still running keep their "timed out" entry.
		}
	}

	status := http.StatusOK
	for _, v := range body.Checks {
		if v != "ok" {
			body.Status, status = "unavailable", http.StatusServiceUnavailable
		}
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(status, body)
}

// runCheck calls chk, turning a panic into an error so that a faulty check cannot crash the process.
func runCheck(ctx context.Context, chk Check) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("check panicked: %v", r)
		}
	}()
	return chk.Check(ctx)
}
