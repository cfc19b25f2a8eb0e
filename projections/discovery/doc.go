// Package discovery is the discovery read model: the projection "discovery" turns discovery
// events into the tables of the schema rm_discovery, and Queries lists what scans found, with
// each certificate's classification and findings.
//
// # Tables (schema rm_discovery)
//
//   - certificates: one row per discovered certificate (CertificateDiscovered), keyed by its
//     SHA-256 fingerprint, with what the findings need parsed out of its DER, and the findings
//     a certificate raises by itself and for ever (weak key, SHA-1 signature, self-signed).
//   - locations: one row per location a scope covers, with what it showed at the scope's
//     latest scan: a certificate (fingerprint) or an outcome; TLS version and suite; whether
//     the endpoint sent an incomplete chain or a certificate that does not cover the name it
//     was asked for. last_seen is the end of the scope's latest scan, set for every location
//     of the scope by the scan's DiscoveryScanRecorded, so an unchanged location costs no
//     event.
//
// # Invariants
//
//   - Rows depend only on the events: no column comes from the clock, so a rebuild leaves the
//     same rows. Time-dependent findings (expired, expiring) are computed when read.
//   - Classification is read, not stored: a certificate is managed when the PKI inventory
//     (rm_pki.certificates) has its fingerprint or a CertificateAdopted adopted it (the
//     adopted_* columns), known_external when it chains, through the chain found with it
//     (chain_der), to one of the ExternalCAs the queries are configured with, shadow otherwise; revoked_but_served is a
//     managed certificate the inventory lists as revoked that a location still shows. The
//     queries join the two read models for that, so a certificate the ledger issues after it
//     was discovered turns managed without an event of discovery.
//   - A change to a location the table lacks, or an absent location the table does not have,
//     is applied as a no-op only where the event says so (absent); anything else the events
//     imply must hold, or the projection stops.
//
// Queries name their tables schema-qualified, because a rebuild swaps the schema under them.
package discovery
