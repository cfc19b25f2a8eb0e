package rest

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/projections/discovery"
)

// Discovery is what the discovery routes need: the command that records a scan and the read
// model of what scans found.
type Discovery struct {
	Record interface {
		Handle(ctx context.Context, cmd commands.DiscoverCertificates, caller commands.Caller) (commands.Discovered, error)
	}
	Found interface {
		ListCertificates(ctx context.Context, f discovery.Filter, at time.Time, cursor string, limit int) ([]discovery.CertificateRow, string, error)
	}
	// Adopt takes a discovered certificate under management.
	Adopt Handler[commands.AdoptCertificate]
}

func (h *handlers) discoveryRoutes() []Route {
	return []Route{
		{http.MethodPost, "/discovery/scans", Administer, "Record a discovery scan of a scope (what each location showed)", h.recordScan},
		{http.MethodGet, "/discovery/certificates", Read, "List discovered certificates, classified, with their findings", h.listDiscovered},
		{http.MethodPost, "/discovery/certificates/:fingerprint/adopt", Administer,
			"Adopt a discovered certificate: a team owns it, under a profile", h.adoptDiscovered},
	}
}

// adoptDiscovered records the adoption of the certificate with the SHA-256 fingerprint in the
// path; 201 when it adopted, 200 for a replay.
func (h *handlers) adoptDiscovered(c echo.Context) error {
	var body wire.AdoptRequest
	if err := bind(c, &body); err != nil {
		return err
	}
	fp := c.Param("fingerprint")
	cmd := commands.AdoptCertificate{CommandID: commandID(c), Fingerprint: fp, Team: body.Team, Owner: body.Owner, Profile: body.Profile}
	res, err := h.run("adopt_certificate", func() (commands.Result, error) {
		return h.Discovery.Adopt.Handle(c.Request().Context(), cmd, caller(c))
	})
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if res.Replayed {
		status = http.StatusOK
	}
	return c.JSON(status, wire.Adoption{Fingerprint: fp, Team: body.Team, Owner: body.Owner, Profile: body.Profile})
}

// recordScan records a scan report; 201 when it changed the ledger, 200 for a replay.
func (h *handlers) recordScan(c echo.Context) error {
	var body wire.ScanReport
	if err := bindAtMost(c, &body, MaxScanBodySize); err != nil {
		return err
	}
	scan, err := scanOf(body)
	if err != nil {
		return err
	}
	var got commands.Discovered
	if _, err := h.run("discover_certificates", func() (commands.Result, error) {
		got, err = h.Discovery.Record.Handle(c.Request().Context(), commands.DiscoverCertificates{CommandID: commandID(c), Scan: scan}, caller(c))
		return got.Result, err
	}); err != nil {
		return err
	}
	status := http.StatusCreated
	if got.Replayed {
		status = http.StatusOK
	}
	return c.JSON(status, wire.ScanResult{ScanID: scan.ScanID.String(), Scope: scan.Scope, New: got.New, Changed: got.Changed,
		Replayed: got.Replayed})
}

// scanOf turns a scan report into the domain's scan; the domain checks the rest.
func scanOf(body wire.ScanReport) (domain.Scan, error) {
	scan := domain.Scan{ScanID: uuid.New(), Scope: body.Scope, Source: body.Source, StartedAt: body.StartedAt, FinishedAt: body.FinishedAt}
	if body.ScanID != "" {
		id, err := uuid.Parse(body.ScanID)
		if err != nil {
			return scan, badRequest("scan_id is not a UUID")
		}
		scan.ScanID = id
	}
	for _, s := range body.Sightings {
		scan.Sightings = append(scan.Sightings, domain.Sighting{Location: s.Location, Outcome: s.Outcome, Chain: s.Chain,
			TLSVersion: s.TLSVersion, CipherSuite: s.CipherSuite})
	}
	return scan, nil
}

// listDiscovered answers GET /discovery/certificates?classification=&finding=&scope=&limit=&cursor=.
// Discovered certificates belong to no team yet, so DEVOPS, which reads its team's, sees none.
func (h *handlers) listDiscovered(c echo.Context) error {
	if _, all := readScope(actorOf(c)); !all {
		return forbidden("%s reads its team's certificates only, and discovered certificates have no team", actorOf(c).Subject)
	}
	q := c.QueryParams()
	f := discovery.Filter{Classification: q.Get("classification"), Finding: q.Get("finding"), Scope: q.Get("scope")}
	limit, err := pageLimit(c)
	if err != nil {
		return err
	}
	rows, next, err := h.Discovery.Found.ListCertificates(c.Request().Context(), f, time.Now(), q.Get("cursor"), limit)
	if errors.Is(err, discovery.ErrBadFilter) {
		return badRequest(err.Error())
	}
	if err != nil {
		return err
	}
	page := wire.DiscoveredList{Items: make([]wire.DiscoveredCertificate, len(rows)), NextCursor: next}
	for i, r := range rows {
		page.Items[i] = wire.DiscoveredCertificate{Fingerprint: r.Fingerprint, Subject: r.Subject, Issuer: r.Issuer,
			Serial: r.Serial, NotBefore: r.NotBefore, NotAfter: r.NotAfter, KeyType: r.KeyType,
			SignatureAlgorithm: r.SignatureAlgorithm, DNSNames: r.DNSNames, Scope: r.Scope,
			Classification: r.Classification, Findings: nonNil(r.Findings), ServedAt: r.ServedAt, LastSeen: r.LastSeen,
			KnownExternalCA: r.KnownExternalCA}
		if a := r.Adoption; a != nil {
			page.Items[i].Adoption = &wire.Adoption{Team: a.Team, Owner: a.Owner, Profile: a.Profile, AdoptedAt: &a.AdoptedAt}
		}
	}
	return c.JSON(http.StatusOK, page)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
