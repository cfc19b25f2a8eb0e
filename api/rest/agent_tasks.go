package rest

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/commands"
)

// Bounds of an agent's task poll.
const (
	taskPollInterval = 200 * time.Millisecond // how often the fleet read model is read for changes
	MaxTaskWait      = time.Minute
)

// agentTasks answers GET /agent/tasks?after=&wait=: the calling agent's open deployments and the
// position of its newest deployment row. With wait (a duration up to MaxTaskWait), it first
// waits until that position passes after, so an agent long-polls with the position of its last
// answer and resumes from it after any restart, of itself or of ledgerd.
func (h *handlers) agentTasks(c echo.Context) error {
	agent, err := callingAgent(c)
	if err != nil {
		return err
	}
	after, wait, err := pollParams(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	woken, done := h.Fleet.tasks.register(agent, h.Closing)
	defer done()
	rows, top, err := h.Fleet.Read.AgentTasks(ctx, agent)
	if err == nil && top <= after && wait > 0 {
		timer := time.NewTimer(wait)
		defer timer.Stop()
		select {
		case <-woken:
		case <-timer.C:
		case <-ctx.Done():
			return nil // the agent went away; nobody reads an answer
		case <-h.Closing:
		}
		rows, top, err = h.Fleet.Read.AgentTasks(ctx, agent)
	}
	if err != nil {
		return err
	}
	out := wire.TaskList{Position: top, Items: make([]wire.Deployment, len(rows))}
	for i, r := range rows {
		out.Items[i] = deploymentOf(r)
	}
	return c.JSON(http.StatusOK, out)
}

func pollParams(c echo.Context) (after int64, wait time.Duration, err error) {
	q := c.QueryParams()
	if s := q.Get("after"); s != "" {
		if after, err = strconv.ParseInt(s, 10, 64); err != nil || after < 0 {
			return 0, 0, badRequest("after is not a position (a number ≥ 0)")
		}
	}
	if s := q.Get("wait"); s != "" {
		if wait, err = time.ParseDuration(s); err != nil || wait < 0 || wait > MaxTaskWait {
			return 0, 0, badRequest("wait is not a duration between 0s and " + MaxTaskWait.String())
		}
	}
	return after, wait, nil
}

func (h *handlers) deploymentCSR(c echo.Context) error {
	var req wire.DeploymentCSR
	id, by, err := readCommandOn(c, &req)
	if err != nil {
		return err
	}
	var chain [][]byte
	if _, err := h.run("issue_deployment", func() (commands.Result, error) {
		chain, err = h.Fleet.IssueDeployment.Handle(c.Request().Context(), commands.IssueDeployment{DeploymentID: id, CSRPEM: []byte(req.CSR)}, by)
		return commands.Result{}, err
	}); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, wire.DeploymentChain{Certificate: string(pemOf(chain[0])), Chain: string(pemOf(chain[1:]...))})
}

func (h *handlers) reportDeployment(c echo.Context) error {
	var req wire.DeploymentReport
	id, by, err := readCommandOn(c, &req)
	if err != nil {
		return err
	}
	if _, err := h.run("report_deployment", func() (commands.Result, error) {
		return h.Fleet.Report.Handle(c.Request().Context(), commands.ReportDeployment{CommandID: commandID(c), DeploymentID: id,
			Succeeded: req.Succeeded, Fingerprint: req.Fingerprint, ServedFingerprint: req.ServedFingerprint, Reason: req.Reason,
			RolledBack: req.RolledBack}, by)
	}); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// taskWaiter wakes the polls of agents whose deployments changed. One goroutine reads the fleet
// read model every interval for rows past the last position it saw, whatever the number of
// waiting agents; it starts with the first poll and stops when the server closes.
type taskWaiter struct {
	read     FleetReadModel
	interval time.Duration
	once     sync.Once
	mu       sync.Mutex
	waiting  map[uuid.UUID]map[chan struct{}]struct{}
}

func newTaskWaiter(read FleetReadModel, interval time.Duration) *taskWaiter {
	return &taskWaiter{read: read, interval: interval, waiting: map[uuid.UUID]map[chan struct{}]struct{}{}}
}

// register returns a channel closed at the agent's next change, and a func that forgets it.
func (w *taskWaiter) register(agent uuid.UUID, closing <-chan struct{}) (<-chan struct{}, func()) {
	w.once.Do(func() { go w.run(closing) })
	ch := make(chan struct{})
	w.mu.Lock()
	if w.waiting[agent] == nil {
		w.waiting[agent] = map[chan struct{}]struct{}{}
	}
	w.waiting[agent][ch] = struct{}{}
	w.mu.Unlock()
	return ch, func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		if _, ok := w.waiting[agent][ch]; ok {
			delete(w.waiting[agent], ch)
			if len(w.waiting[agent]) == 0 {
				delete(w.waiting, agent)
			}
		}
	}
}

func (w *taskWaiter) run(closing <-chan struct{}) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, last, _ := w.read.ChangedAgents(ctx, 0)
	tick := time.NewTicker(w.interval)
	defer tick.Stop()
	for {
		select {
		case <-closing:
			return
		case <-tick.C:
		}
		changed, top, err := w.read.ChangedAgents(ctx, last)
		if err != nil {
			continue // the read model is not there yet, or Postgres is away: polls time out
		}
		last = top
		w.mu.Lock()
		for agent := range changed {
			for ch := range w.waiting[agent] {
				close(ch)
			}
			delete(w.waiting, agent)
		}
		w.mu.Unlock()
	}
}
