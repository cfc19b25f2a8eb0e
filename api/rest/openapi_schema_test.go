package rest_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/wire"
)

// wireSchemas names the component schema of openapi.json that documents each body of package
// wire; request marks the bodies the server only decodes. RevocationRequest and Decision are one
// body under two descriptions.
var wireSchemas = []struct {
	schema  string
	value   any
	request bool
}{
	{"EABKeyRequest", wire.EABKeyRequest{}, true},
	{"EABKey", wire.EABKey{}, false},
	{"ReportMoment", wire.ReportMoment{}, false},
	{"ReplayProgress", wire.ReplayProgress{}, false},
	{"SCEPChallengeRequest", wire.SCEPChallengeRequest{}, true},
	{"SCEPChallenge", wire.SCEPChallenge{}, false},
	{"Problem", wire.Problem{}, false},
	{"Violation", wire.Violation{}, false},
	{"CreateCARequest", wire.CreateCARequest{}, true},
	{"RevocationRequest", wire.Decision{}, true},
	{"Decision", wire.Decision{}, true},
	{"CA", wire.CA{}, false},
	{"CAListItem", wire.CAListItem{}, false},
	{"CAList", wire.CAList{}, false},
	{"CertificateRequest", wire.CertificateRequest{}, true},
	{"RenewalRequest", wire.RenewalRequest{}, true},
	{"Certificate", wire.Certificate{}, false},
	{"CertificateRenewal", wire.CertificateRenewal{}, false},
	{"CertificateListItem", wire.CertificateListItem{}, false},
	{"CertificateList", wire.CertificateList{}, false},
	{"ProfileSpec", wire.ProfileSpec{}, true},
	{"ProfileRevision", wire.ProfileRevision{}, false},
	{"Profile", wire.Profile{}, false},
	{"ProfileList", wire.ProfileList{}, false},
	{"History", wire.History{}, false},
	{"HistoryEvent", wire.HistoryEvent{}, false},
	{"EventActor", wire.EventActor{}, false},
	{"Me", wire.Me{}, false},
	{"TokenRequest", wire.TokenRequest{}, true},
	{"TokenRevocationRequest", wire.TokenRevocationRequest{}, true},
	{"Token", wire.Token{}, false},
	{"TokenListItem", wire.TokenListItem{}, false},
	{"TokenList", wire.TokenList{}, false},
	{"AuditCheckpoint", wire.AuditCheckpoint{}, false},
	{"ProofEvent", wire.ProofEvent{}, false},
	{"InclusionProof", wire.InclusionProof{}, false},
	{"ConsistencyProof", wire.ConsistencyProof{}, false},
	{"Location", wire.Location{}, true},
	{"Sighting", wire.Sighting{}, true},
	{"ScanReport", wire.ScanReport{}, true},
	{"ScanResult", wire.ScanResult{}, false},
	{"DiscoveredCertificate", wire.DiscoveredCertificate{}, false},
	{"DiscoveredList", wire.DiscoveredList{}, false},
	{"AdoptRequest", wire.AdoptRequest{}, true},
	{"Adoption", wire.Adoption{}, false},
	{"RenewalPolicy", wire.RenewalPolicy{}, true},
	{"Renewal", wire.Renewal{}, false},
	{"RenewalList", wire.RenewalList{}, false},
	{"SigningPolicy", wire.SigningPolicy{}, true},
	{"CreateSigningKeyRequest", wire.CreateSigningKeyRequest{}, true},
	{"SigningKey", wire.SigningKey{}, false},
	{"SignDigestRequest", wire.SignDigestRequest{}, true},
	{"SignatureRequest", wire.SignatureRequest{}, false},
	{"PendingSignatures", wire.PendingSignatures{}, false},
	{"ExpiryReport", wire.ExpiryReport{}, false},
	{"ExpiryGroup", wire.ExpiryGroup{}, false},
	{"ExpiryWeek", wire.ExpiryWeek{}, false},
	{"ComplianceReport", wire.ComplianceReport{}, false},
	{"TeamCompliance", wire.TeamCompliance{}, false},
	{"FindingCount", wire.FindingCount{}, false},
	{"CostReport", wire.CostReport{}, false},
	{"CostLine", wire.CostLine{}, false},
	{"PQCReport", wire.PQCReport{}, false},
	{"PQCKeyType", wire.PQCKeyType{}, false},
	{"PQCTeam", wire.PQCTeam{}, false},
	{"JoinTokenRequest", wire.JoinTokenRequest{}, true},
	{"JoinToken", wire.JoinToken{}, false},
	{"EnrollRequest", wire.EnrollRequest{}, true},
	{"Enrollment", wire.Enrollment{}, false},
	{"Agent", wire.Agent{}, false},
	{"AgentList", wire.AgentList{}, false},
	{"Heartbeat", wire.Heartbeat{}, true},
	{"DeploymentTarget", wire.DeploymentTarget{}, false},
	{"DeploymentRequest", wire.DeploymentRequest{}, true},
	{"Deployment", wire.Deployment{}, false},
	{"DeploymentList", wire.DeploymentList{}, false},
	{"DeploymentCreated", wire.DeploymentCreated{}, false},
	{"TaskList", wire.TaskList{}, false},
	{"DeploymentCSR", wire.DeploymentCSR{}, true},
	{"DeploymentChain", wire.DeploymentChain{}, false},
	{"DeploymentReport", wire.DeploymentReport{}, true},
	{"Cluster", wire.Cluster{}, false},
	{"ClusterNode", wire.ClusterNode{}, false},
	{"ClusterLease", wire.ClusterLease{}, false},
}

// TestOpenAPISchemasAreTheWireTypes checks every body schema against its Go type in package
// wire: the same JSON fields, of the same JSON types, allowing null only where the Go value may
// encode as null (and where a pointer without omitempty does). An answer's property is required
// exactly when its field has no omitempty, so it is always there; a request's required
// properties have no omitempty (the client always sends them), and its omitempty ones are
// optional (the server accepts their absence).
func TestOpenAPISchemasAreTheWireTypes(t *testing.T) {
	doc := openAPIDoc(t)
	schemas := componentSchemas(t, doc)
	c := schemaChecker{t: t, doc: doc, refOf: map[reflect.Type]string{}}
	for _, w := range wireSchemas {
		if _, seen := c.refOf[reflect.TypeOf(w.value)]; !seen {
			c.refOf[reflect.TypeOf(w.value)] = "#/components/schemas/" + w.schema
		}
	}
	for _, w := range wireSchemas {
		t.Run(w.schema, func(t *testing.T) {
			schema, ok := schemas[w.schema].(map[string]any)
			require.Truef(t, ok, "openapi.json has no schema %s for wire.%T: add it", w.schema, w.value)
			c.t, c.request = t, w.request
			c.object(w.schema, reflect.TypeOf(w.value), schema)
		})
	}
}

// TestEveryWireTypeHasASchema checks the table above both ways: every exported type of package
// wire is in it, and every object schema of openapi.json documents a wire type.
func TestEveryWireTypeHasASchema(t *testing.T) {
	inTable := map[string]bool{}
	documented := map[string]bool{}
	for _, w := range wireSchemas {
		inTable[reflect.TypeOf(w.value).Name()] = true
		documented[w.schema] = true
	}
	for _, name := range exportedTypes(t, "../wire") {
		assert.Truef(t, inTable[name], "wire.%s is not in wireSchemas: document it in openapi.json and add it", name)
	}
	for name, s := range componentSchemas(t, openAPIDoc(t)) {
		if s.(map[string]any)["type"] == "object" || s.(map[string]any)["properties"] != nil {
			assert.Truef(t, documented[name], "schema %s of openapi.json is no type of package wire", name)
		}
	}
}

func componentSchemas(t *testing.T, doc map[string]any) map[string]any {
	t.Helper()
	schemas, err := resolvePointer(doc, "#/components/schemas")
	require.NoError(t, err)
	return schemas.(map[string]any)
}

// exportedTypes lists the exported types declared in the Go files of dir, tests aside.
func exportedTypes(t *testing.T, dir string) []string {
	t.Helper()
	pkgs, err := parser.ParseDir(token.NewFileSet(), dir, func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, 0)
	require.NoError(t, err)
	var names []string
	for _, pkg := range pkgs {
		for _, f := range pkg.Files {
			for _, d := range f.Decls {
				if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.TYPE {
					for _, s := range g.Specs {
						if ts := s.(*ast.TypeSpec); ts.Name.IsExported() {
							names = append(names, ts.Name.Name)
						}
					}
				}
			}
		}
	}
	sort.Strings(names)
	require.NotEmpty(t, names, "no types found in %s", dir)
	return slices.Compact(names)
}
