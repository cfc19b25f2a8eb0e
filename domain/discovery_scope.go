package domain

import (
	"bytes"
	"crypto/x509"
	"maps"
	"regexp"
	"time"

	"github.com/google/uuid"
)

// Bounds of one scan's record.
const (
	MaxSightings       = 100_000 // sightings one scan may report
	MaxChangesPerEvent = 1_000   // changes one DiscoveryLocationsChanged holds
)

// namespaceDiscovery derives the ids of discovery streams from names.
var namespaceDiscovery = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://certledger.dev/discovery"))

// DiscoveredIDOf is the id of the stream of the certificate with fingerprint.
func DiscoveredIDOf(fingerprint string) uuid.UUID {
	return uuid.NewSHA1(namespaceDiscovery, []byte("certificate/"+fingerprint))
}

// DiscoveryScopeIDOf is the id of the stream of the scope named scope.
func DiscoveryScopeIDOf(scope string) uuid.UUID {
	return uuid.NewSHA1(namespaceDiscovery, []byte("scope/"+scope))
}

// Sighting is what a scan saw at one location: a chain (Outcome "ok") or why not.
type Sighting struct {
	Location Location
	Outcome  string
	// Chain is leaf first, as served or stored; empty unless Outcome is "ok".
	Chain                   [][]byte
	TLSVersion, CipherSuite string
}

// Scan is one scan of a scope: every location the scope now covers, and what each showed.
type Scan struct {
	ScanID                uuid.UUID
	Scope, Source         string
	StartedAt, FinishedAt time.Time
	Sightings             []Sighting
}

// seen is what a location showed at the scope's last scan.
type seen struct {
	fingerprint, outcome string
}

// DiscoveryScope is the locations a scope covers and what each showed last. Its stream records
// only changes, so a scan that finds everything as it was appends one event.
type DiscoveryScope struct {
	locations map[string]seen
	where     map[string]Location
	scans     map[string]bool
	// recorded counts, per scan not yet summarised, the changes its parts recorded already.
	recorded map[string]int
}

// NewDiscoveryScopeFromHistory folds a scope's stream.
func NewDiscoveryScopeFromHistory(past []Event) (*DiscoveryScope, error) {
	s := &DiscoveryScope{locations: map[string]seen{}, where: map[string]Location{}, scans: map[string]bool{},
		recorded: map[string]int{}}
	for _, e := range past {
		if err := s.Apply(e); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Apply folds one event of the scope's stream.
func (s *DiscoveryScope) Apply(e Event) error {
	switch e := e.(type) {
	case DiscoveryLocationsChanged:
		s.recorded[e.ScanID] += len(e.Changes)
		for _, c := range e.Changes {
			key := c.Location.Key()
			if c.Outcome == OutcomeAbsent {
				delete(s.locations, key)
				delete(s.where, key)
				continue
			}
			s.locations[key] = seen{fingerprint: c.Fingerprint, outcome: c.Outcome}
			s.where[key] = c.Location
		}
	case DiscoveryScanRecorded:
		s.scans[e.ScanID] = true
		delete(s.recorded, e.ScanID)
	default:
		return invalidf("a discovery scope's stream cannot hold %s", e.EventType())
	}
	return nil
}

// The outcomes the scope gives itself.
const (
	OutcomeOK     = "ok"
	OutcomeAbsent = "absent" // the scope's latest scan no longer covers the location
)

var outcomePattern = regexp.MustCompile(`^[a-z_]{1,32}$`)

// chainIncomplete says whether a served chain lacks the issuer of its leaf.
func chainIncomplete(leaf *x509.Certificate, rest [][]byte) bool {
	if SelfSigned(leaf) {
		return false
	}
	for _, der := range rest {
		if c, err := x509.ParseCertificate(der); err == nil && bytes.Equal(c.RawSubject, leaf.RawIssuer) {
			return false
		}
	}
	return true
}

// known returns the scope's locations, for the changes a scan makes.
func (s *DiscoveryScope) known() map[string]seen { return maps.Clone(s.locations) }
