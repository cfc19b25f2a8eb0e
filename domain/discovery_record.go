package domain

import (
	"crypto/x509"
	"maps"
	"slices"
)

// Discovery is the result of deciding a scan's record: the events of the scope's stream.
type Discovery struct {
	Events []Event
}

// ScanReading is a scan checked and read once: what each location showed, and the
// certificates it found, by fingerprint. Deciding its record on a scope (Record), again after
// each part of it is appended, parses nothing again.
type ScanReading struct {
	scan     Scan
	showed   []LocationChange // one per sighting, in order
	outcomes map[string]int
	// Certificates are the certificates the scan found, to record as discovered unless they
	// are already.
	Certificates map[string]CertificateDiscovered
}

// ReadScan checks a scan and reads its chains.
func ReadScan(scan Scan) (*ScanReading, error) {
	if err := validateScan(scan); err != nil {
		return nil, err
	}
	r := &ScanReading{scan: scan, outcomes: map[string]int{}, Certificates: map[string]CertificateDiscovered{}}
	for _, sg := range scan.Sightings {
		change, found, err := sightingChange(sg)
		if err != nil {
			return nil, err
		}
		r.showed = append(r.showed, change)
		r.outcomes[change.Outcome]++
		if _, dup := r.Certificates[change.Fingerprint]; found != nil && !dup {
			r.Certificates[change.Fingerprint] = CertificateDiscovered{DiscoveredID: DiscoveredIDOf(change.Fingerprint).String(),
				Fingerprint: change.Fingerprint, CertificateDER: sg.Chain[0], ChainDER: sg.Chain[1:], Scope: scan.Scope,
				Location: sg.Location, DiscoveredAt: scan.FinishedAt.UTC()}
		}
	}
	return r, nil
}

// Record decides the record of a scan: a change for every location that shows something else
// than at the scope's last scan (absent when the scan no longer covers it), in events of at
// most MaxChangesPerEvent, and a DiscoveryScanRecorded last, whose Changed counts the changes
// of parts of the scan recorded before too (a scan's parts may go in separate appends).
// SEC_OPS records scans (ADMIN by override).
func (s *DiscoveryScope) Record(r *ScanReading, by Actor) (Discovery, error) {
	scan := r.scan
	if _, err := authorize(by, by.Has(RoleSecOps), "record a discovery scan"); err != nil {
		return Discovery{}, err
	}
	if s.scans[scan.ScanID.String()] {
		return Discovery{}, conflictf("scan %s of scope %q is recorded already", scan.ScanID, scan.Scope)
	}
	scopeID := DiscoveryScopeIDOf(scan.Scope).String()
	before := s.known()
	var changes []LocationChange
	for _, change := range r.showed {
		key := change.Location.Key()
		if was, ok := before[key]; !ok || was != (seen{fingerprint: change.Fingerprint, outcome: change.Outcome}) {
			changes = append(changes, change)
		}
		delete(before, key)
	}
	changes = append(changes, sortedAbsent(before, s)...)
	var d Discovery
	for start := 0; start < len(changes); start += MaxChangesPerEvent {
		part := changes[start:min(start+MaxChangesPerEvent, len(changes))]
		d.Events = append(d.Events, DiscoveryLocationsChanged{ScopeID: scopeID, ScanID: scan.ScanID.String(), Changes: part})
	}
	d.Events = append(d.Events, DiscoveryScanRecorded{ScopeID: scopeID, Scope: scan.Scope, ScanID: scan.ScanID.String(),
		Source: scan.Source, StartedAt: scan.StartedAt.UTC(), FinishedAt: scan.FinishedAt.UTC(),
		Locations: len(scan.Sightings), Changed: s.recorded[scan.ScanID.String()] + len(changes), Outcomes: r.outcomes})
	return d, nil
}

// sightingChange is the change a sighting stands for, with its parsed leaf when it has one.
func sightingChange(sg Sighting) (LocationChange, *x509.Certificate, error) {
	c := LocationChange{Location: sg.Location, Outcome: sg.Outcome, TLSVersion: sg.TLSVersion, CipherSuite: sg.CipherSuite}
	if sg.Outcome != OutcomeOK {
		if len(sg.Chain) > 0 {
			return c, nil, invalidf("%s: outcome %q carries no chain", sg.Location.Key(), sg.Outcome)
		}
		return c, nil, nil
	}
	if len(sg.Chain) == 0 {
		return c, nil, invalidf("%s: outcome ok needs the chain", sg.Location.Key())
	}
	leaf, err := x509.ParseCertificate(sg.Chain[0])
	if err != nil {
		c.Outcome = "malformed_certificate"
		return c, nil, nil
	}
	c.Fingerprint = Fingerprint(sg.Chain[0])
	c.ChainIncomplete = sg.Location.Kind == LocationNetwork && chainIncomplete(leaf, sg.Chain[1:])
	return c, leaf, nil
}

// sortedAbsent are the changes for the locations a scan no longer covers, by key.
func sortedAbsent(left map[string]seen, s *DiscoveryScope) []LocationChange {
	var out []LocationChange
	for _, key := range slices.Sorted(maps.Keys(left)) {
		out = append(out, LocationChange{Location: s.where[key], Outcome: OutcomeAbsent})
	}
	return out
}

// validateScan checks a scan before anything is decided on it.
func validateScan(scan Scan) error {
	switch {
	case scan.Scope == "" || len(scan.Scope) > 200:
		return invalidf("a scan needs a scope name of 1 to 200 characters")
	case scan.ScanID == [16]byte{}:
		return invalidf("a scan needs a scan id")
	case len(scan.Sightings) > MaxSightings:
		return invalidf("a scan reports at most %d locations, not %d; split the scope", MaxSightings, len(scan.Sightings))
	case scan.FinishedAt.Before(scan.StartedAt) || scan.StartedAt.IsZero():
		return invalidf("a scan's finished_at must not be before its started_at")
	}
	keys := map[string]bool{}
	for _, sg := range scan.Sightings {
		if err := sg.Location.validate(); err != nil {
			return err
		}
		if !outcomePattern.MatchString(sg.Outcome) {
			return invalidf("%s: outcome %q is not a lower-case word", sg.Location.Key(), sg.Outcome)
		}
		key := sg.Location.Key()
		if keys[key] {
			return invalidf("%s is reported twice in one scan", key)
		}
		keys[key] = true
	}
	return nil
}
