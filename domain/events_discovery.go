package domain

import "time"

// The discovery event types, as stored with every event and hashed into its stream's chain: a
// name never changes.
const (
	TypeCertificateDiscovered     = "CertificateDiscovered"
	TypeDiscoveryLocationsChanged = "DiscoveryLocationsChanged"
	TypeDiscoveryScanRecorded     = "DiscoveryScanRecorded"
	// TypeCertificateAdopted records that a discovered certificate is taken under management.
	TypeCertificateAdopted = "CertificateAdopted"
)

// discoveryEvents are the events of discovered certificates' and discovery scopes' streams.
var discoveryEvents = []EventSpec{specOf[CertificateDiscovered](), specOf[DiscoveryLocationsChanged](),
	specOf[DiscoveryScanRecorded](), specOf[CertificateAdopted]()}

// CertificateDiscovered records the first sighting of a certificate anywhere: its stream is
// keyed by its fingerprint, so a certificate is discovered once however often it is seen.
type CertificateDiscovered struct {
	// DiscoveredID is the stream's id, DiscoveredIDOf(Fingerprint).
	DiscoveredID string `json:"discovered_id"`
	Fingerprint  string `json:"fingerprint"`
	// CertificateDER is the certificate; ChainDER what was served or stored with it, leaf excluded.
	CertificateDER []byte    `json:"certificate_der"`
	ChainDER       [][]byte  `json:"chain_der,omitempty"`
	Scope          string    `json:"scope"`
	Location       Location  `json:"location"`
	DiscoveredAt   time.Time `json:"discovered_at"`
}

// EventType returns TypeCertificateDiscovered.
func (CertificateDiscovered) EventType() string { return TypeCertificateDiscovered }

// Aggregate returns the discovered certificate.
func (e CertificateDiscovered) Aggregate() AggregateRef {
	return AggregateRef{Category: CategoryDiscovered, ID: e.DiscoveredID}
}

// LocationChange is what a location shows now that it did not show at the scope's previous
// scan: another certificate, none (Outcome says why), or a location seen for the first time.
type LocationChange struct {
	Location Location `json:"location"`
	// Fingerprint is the certificate now there; "" when the scan found none.
	Fingerprint string `json:"fingerprint,omitempty"`
	// Outcome is "ok" with a certificate, else the scanner's outcome (refused, not_tls,
	// absent when the scan no longer covered the location, ...).
	Outcome     string `json:"outcome"`
	TLSVersion  string `json:"tls_version,omitempty"`
	CipherSuite string `json:"cipher_suite,omitempty"`
	// ChainIncomplete is true when the endpoint did not send the issuer of its certificate.
	ChainIncomplete bool `json:"chain_incomplete,omitempty"`
}

// DiscoveryLocationsChanged records a part of a scan's changes (at most MaxChangesPerEvent).
type DiscoveryLocationsChanged struct {
	ScopeID string           `json:"scope_id"`
	ScanID  string           `json:"scan_id"`
	Changes []LocationChange `json:"changes"`
}

// EventType returns TypeDiscoveryLocationsChanged.
func (DiscoveryLocationsChanged) EventType() string { return TypeDiscoveryLocationsChanged }

// Aggregate returns the discovery scope.
func (e DiscoveryLocationsChanged) Aggregate() AggregateRef {
	return AggregateRef{Category: CategoryDiscovery, ID: e.ScopeID}
}

// DiscoveryScanRecorded ends the record of one scan of a scope: every location of the scope
// that no change event of the scan names showed what it showed before, at FinishedAt.
type DiscoveryScanRecorded struct {
	ScopeID string `json:"scope_id"`
	Scope   string `json:"scope"`
	ScanID  string `json:"scan_id"`
	// Source is who scanned: "ledgerctl", "ledgerd" or an agent's id.
	Source     string         `json:"source"`
	StartedAt  time.Time      `json:"started_at"`
	FinishedAt time.Time      `json:"finished_at"`
	Locations  int            `json:"locations"`
	Changed    int            `json:"changed"`
	Outcomes   map[string]int `json:"outcomes"`
}

// EventType returns TypeDiscoveryScanRecorded.
func (DiscoveryScanRecorded) EventType() string { return TypeDiscoveryScanRecorded }

// Aggregate returns the discovery scope.
func (e DiscoveryScanRecorded) Aggregate() AggregateRef {
	return AggregateRef{Category: CategoryDiscovery, ID: e.ScopeID}
}

// CertificateAdopted records, on a discovered certificate's stream, that a SEC_OPS user took it
// under management: a team owns it, under a profile (whose renewal policy the scheduler does
// not apply to adopted certificates yet: their key is on a host, the agent's to renew).
type CertificateAdopted struct {
	DiscoveredID string `json:"discovered_id"`
	Fingerprint  string `json:"fingerprint"`
	Team         string `json:"team"`
	Owner        string `json:"owner"`
	ProfileID    string `json:"profile_id"`
	ProfileName  string `json:"profile_name"`
	// Override is true when only the ADMIN role allowed the adoption.
	Override  bool      `json:"override"`
	AdoptedAt time.Time `json:"adopted_at"`
}

// EventType returns TypeCertificateAdopted.
func (CertificateAdopted) EventType() string { return TypeCertificateAdopted }

// Aggregate returns the discovered certificate.
func (e CertificateAdopted) Aggregate() AggregateRef {
	return AggregateRef{Category: CategoryDiscovered, ID: e.DiscoveredID}
}
