package domain_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

// selfSigned makes a certificate for name with key, signed by itself with alg.
func selfSigned(t *testing.T, name string, key crypto.Signer, alg x509.SignatureAlgorithm, notAfter time.Time) *x509.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name},
		DNSNames: []string{name}, NotBefore: time.Now().Add(-time.Hour), NotAfter: notAfter, SignatureAlgorithm: alg}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	require.NoError(t, err)
	c, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return c
}

func endpoint(addr, name string) domain.Location {
	return domain.Location{Kind: domain.LocationNetwork, Address: addr, ServerName: name}
}

func scanOf(scope string, sightings ...domain.Sighting) domain.Scan {
	now := time.Now()
	return domain.Scan{ScanID: uuid.New(), Scope: scope, Source: "test", StartedAt: now.Add(-time.Second), FinishedAt: now,
		Sightings: sightings}
}

// record decides a scan on the scope's history and appends its events to it.
// discovery is a scan's record and the certificates its reading found.
type discovery struct {
	domain.Discovery
	Certificates map[string]domain.CertificateDiscovered
}

func record(t *testing.T, history *[]domain.Event, scan domain.Scan) discovery {
	t.Helper()
	scope, err := domain.NewDiscoveryScopeFromHistory(*history)
	require.NoError(t, err)
	r, err := domain.ReadScan(scan)
	require.NoError(t, err)
	d, err := scope.Record(r, secOps)
	require.NoError(t, err)
	*history = append(*history, d.Events...)
	return discovery{Discovery: d, Certificates: r.Certificates}
}

func TestAScanRecordsOnlyWhatChanged(t *testing.T) {
	a := selfSigned(t, "a.example.com", newKey(t), x509.ECDSAWithSHA256, time.Now().Add(90*24*time.Hour))
	b := selfSigned(t, "b.example.com", newKey(t), x509.ECDSAWithSHA256, time.Now().Add(90*24*time.Hour))
	ok := func(loc domain.Location, c *x509.Certificate) domain.Sighting {
		return domain.Sighting{Location: loc, Outcome: domain.OutcomeOK, Chain: [][]byte{c.Raw}, TLSVersion: "TLS 1.3"}
	}
	var history []domain.Event
	d := record(t, &history, scanOf("dmz", ok(endpoint("10.0.0.1:443", "a.example.com"), a),
		ok(endpoint("10.0.0.2:443", "a.example.com"), a), domain.Sighting{Location: endpoint("10.0.0.3:443", ""), Outcome: "refused"}))
	assert.Len(t, d.Certificates, 1, "one certificate, seen at two places, is discovered once")
	require.Len(t, d.Events, 2)
	assert.Len(t, d.Events[0].(domain.DiscoveryLocationsChanged).Changes, 3, "the first scan: every location is new")
	assert.Equal(t, map[string]int{"ok": 2, "refused": 1}, d.Events[1].(domain.DiscoveryScanRecorded).Outcomes)

	d = record(t, &history, scanOf("dmz", ok(endpoint("10.0.0.1:443", "a.example.com"), a),
		ok(endpoint("10.0.0.2:443", "a.example.com"), a), domain.Sighting{Location: endpoint("10.0.0.3:443", ""), Outcome: "refused"}))
	require.Len(t, d.Events, 1, "nothing changed: the scan's own record only")
	assert.Equal(t, 0, d.Events[0].(domain.DiscoveryScanRecorded).Changed)

	d = record(t, &history, scanOf("dmz", ok(endpoint("10.0.0.1:443", "a.example.com"), b),
		domain.Sighting{Location: endpoint("10.0.0.3:443", ""), Outcome: "refused"}))
	changes := d.Events[0].(domain.DiscoveryLocationsChanged).Changes
	require.Len(t, changes, 2)
	assert.Equal(t, domain.Fingerprint(b.Raw), changes[0].Fingerprint, "another certificate at the same place")
	assert.Equal(t, domain.OutcomeAbsent, changes[1].Outcome, "10.0.0.2 is no longer in the scan")
	assert.Equal(t, "10.0.0.2:443", changes[1].Location.Address)
}

func TestAScanIsCheckedBeforeAnythingIsDecided(t *testing.T) {
	c := selfSigned(t, "a.example.com", newKey(t), x509.ECDSAWithSHA256, time.Now().Add(time.Hour))
	loc := endpoint("10.0.0.1:443", "a.example.com")
	scope, err := domain.NewDiscoveryScopeFromHistory(nil)
	require.NoError(t, err)
	cases := map[string]domain.Scan{
		"no scope":           scanOf("", domain.Sighting{Location: loc, Outcome: "refused"}),
		"twice one location": scanOf("s", domain.Sighting{Location: loc, Outcome: "refused"}, domain.Sighting{Location: loc, Outcome: "refused"}),
		"ok without chain":   scanOf("s", domain.Sighting{Location: loc, Outcome: domain.OutcomeOK}),
		"chain without ok":   scanOf("s", domain.Sighting{Location: loc, Outcome: "refused", Chain: [][]byte{c.Raw}}),
		"odd outcome":        scanOf("s", domain.Sighting{Location: loc, Outcome: "Refused!"}),
		"no address":         scanOf("s", domain.Sighting{Location: domain.Location{Kind: domain.LocationNetwork}, Outcome: "refused"}),
		"file without host":  scanOf("s", domain.Sighting{Location: domain.Location{Kind: domain.LocationFile, Path: "/x"}, Outcome: "refused"}),
	}
	for name, scan := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := domain.ReadScan(scan)
			assert.True(t, domain.IsKind(err, domain.KindInvalid), "%v", err)
		})
	}
	var history []domain.Event
	scan := scanOf("s", domain.Sighting{Location: loc, Outcome: "refused"})
	record(t, &history, scan)
	reading, err := domain.ReadScan(scan)
	require.NoError(t, err)
	_, err = scope.Record(reading, domain.Actor{Subject: "dev", Roles: []domain.Role{domain.RoleDevOps}, Team: "web"})
	assert.True(t, domain.IsKind(err, domain.KindForbidden), "DEVOPS records no scans: %v", err)
	again, err := domain.NewDiscoveryScopeFromHistory(history)
	require.NoError(t, err)
	_, err = again.Record(reading, secOps)
	assert.True(t, domain.IsKind(err, domain.KindConflict), "a scan id is recorded once: %v", err)
}

func TestChangesAreSplitIntoBoundedEvents(t *testing.T) {
	var sightings []domain.Sighting
	for i := range domain.MaxChangesPerEvent + 1 {
		sightings = append(sightings, domain.Sighting{Location: endpoint(fmt.Sprintf("10.1.%d.%d:443", i/250, i%250), ""), Outcome: "timeout"})
	}
	var history []domain.Event
	d := record(t, &history, scanOf("big", sightings...))
	require.Len(t, d.Events, 3)
	assert.Len(t, d.Events[0].(domain.DiscoveryLocationsChanged).Changes, domain.MaxChangesPerEvent)
	assert.Len(t, d.Events[1].(domain.DiscoveryLocationsChanged).Changes, 1)
}

func TestFindingsOfADiscoveredCertificate(t *testing.T) {
	weak, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	old := selfSigned(t, "old.example.com", weak, x509.SHA1WithRSA, time.Now().Add(-time.Minute))
	assert.ElementsMatch(t, []string{domain.FindingExpired, domain.FindingWeakKey, domain.FindingSHA1Signature,
		domain.FindingSelfSigned}, domain.CertificateFindings(old, time.Now()))
	fine := selfSigned(t, "www.example.com", newKey(t), x509.ECDSAWithSHA256, time.Now().Add(10*24*time.Hour))
	assert.ElementsMatch(t, []string{domain.FindingExpiring, domain.FindingSelfSigned}, domain.CertificateFindings(fine, time.Now()))
	assert.True(t, domain.HostnameMismatch(fine, "api.example.com"))
	assert.False(t, domain.HostnameMismatch(fine, "www.example.com."))
	assert.False(t, domain.HostnameMismatch(fine, ""), "an address without a name cannot mismatch")
}
