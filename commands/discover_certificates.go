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

// discoveryWriters bounds the certificate streams one scan appends to at once.
const discoveryWriters = 16

// Handle checks the scan against the scope, appends a CertificateDiscovered to the stream of
// each certificate not discovered before, then the scope's changes and the scan's summary.
// The certificates go first so that a location never names a certificate the store lacks; a
// command run again finds them there and appends nothing twice.
func (h *DiscoverCertificatesHandler) Handle(ctx context.Context, cmd DiscoverCertificates, caller Caller) (Discovered, error) {
	scopeStream := events.StreamName(events.CategoryDiscovery, domain.DiscoveryScopeIDOf(cmd.Scan.Scope))
	history, head, err := h.core.store.Load(ctx, scopeStream)
	if err != nil {
		return Discovered{}, err
	}
	if containsEvent(history, events.EventID(cmd.CommandID, 0)) {
		return Discovered{Result: Result{Head: head, Replayed: true}}, nil
	}
	past, err := decodeHistory(h.core.registry, history)
	if err != nil {
		return Discovered{}, err
	}
	d, err := recordScan(past, cmd.Scan, caller.Actor) // checks everything before any append
	if err != nil {
		return Discovered{}, err
	}
	fresh, err := h.discover(ctx, cmd.CommandID, d.Certificates, caller.unconditional())
	if err != nil {
		return Discovered{}, err
	}
	var summary domain.DiscoveryScanRecorded
	res, err := h.core.decide(ctx, cmd.CommandID, scopeStream, caller, func(past []domain.Event, _ time.Time) ([]domain.Event, error) {
		d, err := recordScan(past, cmd.Scan, caller.Actor)
		if err != nil {
			return nil, err
		}
		summary = d.Events[len(d.Events)-1].(domain.DiscoveryScanRecorded)
		return d.Events, nil
	})
	return Discovered{Result: res, New: fresh, Changed: summary.Changed}, err
}

// recordScan folds a scope's history and decides the record of a scan on it.
func recordScan(past []domain.Event, scan domain.Scan, by domain.Actor) (domain.Discovery, error) {
	scope, err := domain.NewDiscoveryScopeFromHistory(past)
	if err != nil {
		return domain.Discovery{}, err
	}
	return scope.Record(scan, by)
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
