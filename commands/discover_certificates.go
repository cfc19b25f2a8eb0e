package commands

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// DiscoverCertificates records one scan of a discovery scope, run by ledgerctl, ledgerd or an
// agent: every location the scope covers and what it showed.
type DiscoverCertificates struct {
	CommandID uuid.UUID
	Scan      domain.Scan
}

// Discovered says what recording a scan did.
type Discovered struct {
	Result
	// New is the number of certificates seen for the first time anywhere; Changed the number
	// of locations that show something else than at the scope's previous scan.
	New, Changed int
}

// DiscoverCertificatesHandler records discovery scans. It signs nothing.
type DiscoverCertificatesHandler struct{ core *Core }

// NewDiscoverCertificatesHandler is the discovery handler.
func NewDiscoverCertificatesHandler(core *Core) *DiscoverCertificatesHandler {
	return &DiscoverCertificatesHandler{core}
}

// discoveryWriters bounds the certificate streams one scan appends to at once: enough appends
// in flight for the store's group commit to share its fsyncs (16: 2,470 certs/s, 128: 5,550,
// 256: 3,730 on 2 cores, 2026-12-03).
const discoveryWriters = 128

// Handle checks the scan against the scope, appends a CertificateDiscovered to the stream of
// each certificate not discovered before, then the scope's changes and the scan's summary.
// The certificates go first so that a location never names a certificate the store lacks.
//
// EventStoreDB bounds one append (1 MiB by default), so the scope's changes go one event of
// at most domain.MaxChangesPerEvent per append, each decided on the scope as the previous one
// left it, and the summary last. A command run again after a crash resumes: the certificates
// are there, the parts appended are no longer changes, the next part gets the next id; once
// the summary is there it answers as replayed.
func (h *DiscoverCertificatesHandler) Handle(ctx context.Context, cmd DiscoverCertificates, caller Caller) (Discovered, error) {
	scopeStream := events.StreamName(events.CategoryDiscovery, domain.DiscoveryScopeIDOf(cmd.Scan.Scope))
	summaryStep := uuid.NewSHA1(cmd.CommandID, []byte("summary"))
	history, head, err := h.core.store.Load(ctx, scopeStream)
	if err != nil {
		return Discovered{}, err
	}
	if containsEvent(history, events.EventID(summaryStep, 0)) {
		return Discovered{Result: Result{Head: head, Replayed: true}}, nil
	}
	past, err := decodeHistory(h.core.registry, history)
	if err != nil {
		return Discovered{}, err
	}
	reading, err := domain.ReadScan(cmd.Scan) // checks and parses the scan once, before any append
	if err != nil {
		return Discovered{}, err
	}
	d, err := recordScan(past, reading, caller.Actor)
	if err != nil {
		return Discovered{}, err
	}
	fresh, err := h.discover(ctx, cmd.CommandID, reading.Certificates, caller.unconditional())
	if err != nil {
		return Discovered{}, err
	}
	out := Discovered{New: fresh}
	for part := 0; ; part++ {
		final := len(d.Events) == 1 // only the summary is left
		step := uuid.NewSHA1(cmd.CommandID, []byte(fmt.Sprintf("part-%d", part)))
		if final {
			step = summaryStep
		}
		res, err := h.core.decide(ctx, step, scopeStream, caller, func(past []domain.Event, _ time.Time) ([]domain.Event, error) {
			if d, err = recordScan(past, reading, caller.Actor); err != nil {
				return nil, err
			}
			if (len(d.Events) == 1) != final {
				return nil, errScopeMoved
			}
			return d.Events[:1], nil
		})
		switch {
		case errors.Is(err, errScopeMoved):
			continue // another scan of the scope came between: decide this part again
		case err != nil:
			return out, err
		}
		out.Result.Head, out.Result.Appended = res.Head, out.Result.Appended+res.Appended
		if final {
			out.Changed = d.Events[0].(domain.DiscoveryScanRecorded).Changed
			return out, nil
		}
		if d, err = h.afterPart(ctx, scopeStream, reading, caller); err != nil {
			return out, err
		}
	}
}

// errScopeMoved stops a part whose kind (changes or the summary) another writer changed.
var errScopeMoved = errors.New("the scope changed while its scan was recorded")

// afterPart decides the scan again on the scope as the last part left it.
func (h *DiscoverCertificatesHandler) afterPart(ctx context.Context, stream string, r *domain.ScanReading, caller Caller) (domain.Discovery, error) {
	past, err := h.core.load(ctx, stream)
	if err != nil {
		return domain.Discovery{}, err
	}
	return recordScan(past, r, caller.Actor)
}

// recordScan folds a scope's history and decides the record of a scan on it.
func recordScan(past []domain.Event, r *domain.ScanReading, by domain.Actor) (domain.Discovery, error) {
	scope, err := domain.NewDiscoveryScopeFromHistory(past)
	if err != nil {
		return domain.Discovery{}, err
	}
	return scope.Record(r, by)
}

// errDiscoveredAlready stops the append of a certificate another scan discovered first.
var errDiscoveredAlready = errors.New("the certificate is discovered already")

// discover appends a CertificateDiscovered to the stream of every certificate that has none,
// a few streams at once, and returns how many it appended.
func (h *DiscoverCertificatesHandler) discover(ctx context.Context, commandID uuid.UUID,
	found map[string]domain.CertificateDiscovered, caller Caller) (int, error) {
	work := make(chan domain.CertificateDiscovered)
	var (
		mu    sync.Mutex
		fresh int
		errs  []error
		wg    sync.WaitGroup
	)
	for range min(discoveryWriters, max(len(found), 1)) {
		wg.Go(func() {
			for cd := range work {
				stream := events.StreamName(events.CategoryDiscovered, domain.DiscoveredIDOf(cd.Fingerprint))
				res, err := h.core.decide(ctx, uuid.NewSHA1(commandID, []byte(cd.Fingerprint)), stream, caller,
					func(past []domain.Event, _ time.Time) ([]domain.Event, error) {
						if len(past) > 0 {
							return nil, errDiscoveredAlready
						}
						return []domain.Event{cd}, nil
					})
				mu.Lock()
				switch {
				case errors.Is(err, errDiscoveredAlready) || res.Replayed:
				case err != nil:
					errs = append(errs, fmt.Errorf("discovered certificate %s: %w", cd.Fingerprint, err))
				default:
					fresh++
				}
				mu.Unlock()
			}
		})
	}
	for _, cd := range found {
		work <- cd
	}
	close(work)
	wg.Wait()
	return fresh, errors.Join(errs...)
}
