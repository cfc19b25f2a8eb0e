package wire

import (
	"time"

	"github.com/certledger/certledger/domain"
)

// Location is where a scan looked: a TLS endpoint (kind "network": address, server_name) or a
// file (kind "file": host, path), in the JSON the ledger stores in its events.
type Location = domain.Location

// Sighting is what a scan saw at one location: the chain (outcome "ok"), or why not.
type Sighting struct {
	Location Location `json:"location"`
	Outcome  string   `json:"outcome"`
	// Chain is DER, base64 in JSON, leaf first.
	Chain       [][]byte `json:"chain,omitempty"`
	TLSVersion  string   `json:"tls_version,omitempty"`
	CipherSuite string   `json:"cipher_suite,omitempty"`
}

// ScanReport is the body of POST /discovery/scans: one scan of a scope, every location the
// scope covers now.
type ScanReport struct {
	// ScanID is a UUID naming the scan; the server picks one when it is empty.
	ScanID     string     `json:"scan_id,omitempty"`
	Scope      string     `json:"scope"`
	Source     string     `json:"source"`
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt time.Time  `json:"finished_at"`
	Sightings  []Sighting `json:"sightings"`
}

// ScanResult is what recording a scan did.
type ScanResult struct {
	ScanID string `json:"scan_id"`
	Scope  string `json:"scope"`
	// New counts the certificates never discovered before; Changed the locations that show
	// something else than at the scope's previous scan.
	New      int  `json:"new"`
	Changed  int  `json:"changed"`
	Replayed bool `json:"replayed"`
}

// DiscoveredCertificate is a discovered certificate, classified ("managed", "known_external"
// or "shadow"), with its findings as of the request.
type DiscoveredCertificate struct {
	Fingerprint        string     `json:"fingerprint"`
	Subject            string     `json:"subject"`
	Issuer             string     `json:"issuer"`
	Serial             string     `json:"serial"`
	NotBefore          time.Time  `json:"not_before"`
	NotAfter           time.Time  `json:"not_after"`
	KeyType            string     `json:"key_type"`
	SignatureAlgorithm string     `json:"signature_algorithm"`
	DNSNames           []string   `json:"dns_names"`
	Scope              string     `json:"scope"`
	Classification     string     `json:"classification"`
	Findings           []string   `json:"findings"`
	ServedAt           int        `json:"served_at"`
	LastSeen           *time.Time `json:"last_seen"`
	// KnownExternalCA is the subject of the external CA a known_external certificate chains to.
	KnownExternalCA string `json:"known_external_ca,omitempty"`
	// Adoption is set once a SEC_OPS user adopted the certificate: then it is managed.
	Adoption *Adoption `json:"adoption,omitempty"`
}

// AdoptRequest is the body of POST /discovery/certificates/{fingerprint}/adopt.
type AdoptRequest struct {
	Team    string `json:"team"`
	Owner   string `json:"owner,omitempty"`
	Profile string `json:"profile"`
}

// Adoption is who took a discovered certificate under management, and under which profile.
// The answer to an adoption names the fingerprint; a list names when it was adopted.
type Adoption struct {
	Fingerprint string     `json:"fingerprint,omitempty"`
	Team        string     `json:"team"`
	Owner       string     `json:"owner"`
	Profile     string     `json:"profile"`
	AdoptedAt   *time.Time `json:"adopted_at,omitempty"`
}

// DiscoveredList is a page of discovered certificates.
type DiscoveredList struct {
	Items      []DiscoveredCertificate `json:"items"`
	NextCursor string                  `json:"next_cursor,omitempty"`
}
