package crl

import (
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Source is the CRL read model, as the Service needs it.
type Source interface {
	// RevokedByCA returns every revoked entry of a CA; the Service calls it once per CA.
	RevokedByCA(ctx context.Context, caID string) ([]Entry, error)
	// RevokedSince returns up to limit revocations of any CA with a position above
	// afterPosition, in position order. Polling it is how the Service learns of revocations.
	RevokedSince(ctx context.Context, afterPosition int64, limit int) ([]Revocation, error)
}

// PositionSource is an optional capability of a Source: the position of the newest revocation
// it holds. A Service whose Source has it starts polling there, after loading each CA with
// RevokedByCA; without it, the first poll starts at position 0 and so reads every revocation a
// second time at start-up (harmless, since adding an entry twice changes nothing).
type PositionSource interface {
	LastPosition(ctx context.Context) (int64, error)
}

// Config tunes a Service; zero fields take the documented defaults.
type Config struct {
	// Validity is nextUpdate − thisUpdate of complete CRLs (default 24 h); a complete CRL is
	// rebuilt, and becomes the new delta base, when half of it has passed.
	Validity time.Duration
	// DeltaValidity is nextUpdate − thisUpdate of delta CRLs (default 1 h).
	DeltaValidity time.Duration
	// PollInterval is how often the Source is polled (default 250 ms); it debounces rebuilds.
	PollInterval time.Duration
	// MinCompleteInterval is the least time between two complete CRLs built for new revocations
	// (default 0: every poll that brings revocations); delta CRLs carry them meanwhile.
	MinCompleteInterval time.Duration
	// BatchSize is the limit passed to RevokedSince (default 10,000).
	BatchSize int
	// BaseURL, when set, makes complete CRLs point at their delta CRL with a Freshest CRL
	// extension: BaseURL/crl/{ca}/delta.crl.
	BaseURL string
	// MaxAge caps the HTTP Cache-Control max-age of served CRLs (default 5 min), so that caches
	// pick up rebuilt CRLs before nextUpdate.
	MaxAge time.Duration
	// Logger receives progress and errors; nil means slog.Default().
	Logger *slog.Logger
	// Clock returns the current time; nil means time.Now.
	Clock func() time.Time
}

// Errors of Complete and Delta; the HTTP handler maps them to 404 and 503.
var (
	ErrUnknownCA = errors.New("no CRL is published for this CA")
	ErrNotBuilt  = errors.New("the CRL has not been built yet")
)

// CRL is one signed CRL, as published.
type CRL struct {
	// DER is the CRL; never modify it.
	DER                    []byte
	Number                 *big.Int
	ThisUpdate, NextUpdate time.Time
	// Entries is the number of revoked certificates listed.
	Entries int

	pemOnce sync.Once
	pem     []byte
}

// PEM returns the CRL as an "X509 CRL" PEM block, encoded on first use.
func (c *CRL) PEM() []byte {
	c.pemOnce.Do(func() { c.pem = pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: c.DER}) })
	return c.pem
}

// Service keeps every registered CA's CRLs built and current. It is safe for concurrent use.
type Service struct {
	src     Source
	numbers NumberStore
	cfg     Config
	log     *slog.Logger

	mu  sync.RWMutex
	cas map[string]*authority

	refreshMu  sync.Mutex // serializes Refresh, which alone touches builders and the position
	position   int64
	positioned bool
	running    atomic.Bool
}

// authority is one CA's state. Fields other than the published CRLs belong to Refresh.
type authority struct {
	iss          Issuer
	builder      *Builder
	loaded       bool
	dirty        bool      // entries added since the last complete CRL
	deltaDirty   bool      // entries added, or base moved, since the last delta CRL
	base         *big.Int  // number of the delta CRLs' base
	baseAt       time.Time // when the base was built; the schedule of complete CRLs
	lastComplete time.Time
	complete     atomic.Pointer[CRL]
	delta        atomic.Pointer[CRL]
	parts        []*partition // the CRL's partitions, when Issuer.Partitions > 1
}

// NewService returns a Service reading revocations from src and numbering CRLs with numbers.
func NewService(src Source, numbers NumberStore, cfg Config) (*Service, error) {
	if src == nil || numbers == nil {
		return nil, errors.New("CRL service: source and number store are required")
	}
	if cfg.Validity < 0 || cfg.DeltaValidity < 0 || cfg.PollInterval < 0 || cfg.MinCompleteInterval < 0 || cfg.MaxAge < 0 || cfg.BatchSize < 0 {
		return nil, errors.New("CRL service: negative durations or batch size in config")
	}
	if err := checkURL(cfg.BaseURL); err != nil {
		return nil, fmt.Errorf("CRL service base URL: %w", err)
	}
	cfg.Validity = orDefault(cfg.Validity, 24*time.Hour)
	cfg.DeltaValidity = orDefault(cfg.DeltaValidity, time.Hour)
	cfg.PollInterval = orDefault(cfg.PollInterval, 250*time.Millisecond)
	cfg.MaxAge = orDefault(cfg.MaxAge, 5*time.Minute)
	cfg.BatchSize = orDefault(cfg.BatchSize, 10_000)
	if cfg.Validity < time.Minute || cfg.DeltaValidity < time.Minute {
		return nil, errors.New("CRL service: CRL validities must be at least a minute")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	return &Service{src: src, numbers: numbers, cfg: cfg, log: cfg.Logger, cas: map[string]*authority{}}, nil
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// AddIssuer registers a CA. Its entries are loaded and its first CRLs built by the next Refresh
// (Run calls it every PollInterval); until then its CRLs are ErrNotBuilt.
func (s *Service) AddIssuer(iss Issuer) error {
	b, err := NewBuilder(iss)
	if err != nil {
		return err
	}
	parts, err := s.newPartitions(iss)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.cas[iss.ID]; ok {
		return fmt.Errorf("CRL issuer %s is already registered", iss.ID)
	}
	s.cas[iss.ID] = &authority{iss: iss, builder: b, parts: parts}
	return nil
}

// Complete returns the CA's current complete CRL.
func (s *Service) Complete(caID string) (*CRL, error) { return s.published(caID, false) }

// Delta returns the CA's current delta CRL.
func (s *Service) Delta(caID string) (*CRL, error) { return s.published(caID, true) }

func (s *Service) published(caID string, delta bool) (*CRL, error) {
	s.mu.RLock()
	a := s.cas[caID]
	s.mu.RUnlock()
	if a == nil {
		return nil, fmt.Errorf("CA %q: %w", caID, ErrUnknownCA)
	}
	c := a.complete.Load()
	if delta {
		c = a.delta.Load()
	}
	if c == nil {
		return nil, fmt.Errorf("CA %q: %w", caID, ErrNotBuilt)
	}
	return c, nil
}

// deltaURL is where the CA's delta CRL is published, or "" without a BaseURL.
func (s *Service) deltaURL(caID string) string {
	if s.cfg.BaseURL == "" {
		return ""
	}
	return strings.TrimRight(s.cfg.BaseURL, "/") + "/crl/" + url.PathEscape(caID) + "/delta.crl"
}
