package domain_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

// storedTypes are the event type names in the store. They are hashed into every stream's chain:
// a name here must never change; a new event type adds one.
var storedTypes = []string{
	"ACMEAccountDeactivated", "ACMEAccountKeyAdopted", "ACMEAccountKeyChanged", "ACMEAccountRegistered", "ACMEChallengeFailed",
	"ACMEChallengeValidated", "ACMEEABKeyBound", "ACMEEABKeyMinted", "ACMEOrderCreated", "ACMEOrderFinalized",
	"APITokenIssued", "APITokenRevoked", "AgentEnrolled", "AgentHeartbeat", "AgentJoinTokenIssued",
	"AgentRevoked", "ArtifactSigned", "AuditCheckpointSigned", "CAIntermediateCreated", "CAResponderCertified",
	"CARevoked", "CARootCreated", "CASCEPRACertified", "CertificateAdopted", "CertificateApproved",
	"CertificateDiscovered", "CertificateExpired", "CertificateExpiryWarned", "CertificateIssued",
	"CertificateRejected", "CertificateRenewed", "CertificateRequested", "CertificateRevoked",
	"DeploymentFailed", "DeploymentIssued", "DeploymentRequested", "DeploymentSucceeded",
	"DiscoveryLocationsChanged", "DiscoveryScanRecorded", "ProfileDefined", "ProfileUpdated", "RenewalDue", "RenewalFailed",
	"SCEPChallengeIssued", "SCEPChallengeUsed",
	"SignatureApproved", "SignatureRefused", "SignatureRequested", "SignatureVoided",
	"SigningKeyCreated", "SigningKeyDisabled", "SigningKeyEnabled", "SigningKeyRevoked", "SigningKeyRotated",
	"SigningStarted", "TimestampIssued",
}

func TestEventTypesAreTheStoredNames(t *testing.T) {
	types := domain.EventTypes()
	assert.Equal(t, storedTypes, slices.Sorted(maps.Keys(types)))
	for name, spec := range types {
		assert.Equal(t, name, spec.Name)
		p := spec.New()
		v := reflect.ValueOf(p)
		require.Equal(t, reflect.Pointer, v.Kind(), "%s decodes into a pointer", name)
		require.False(t, v.IsNil(), name)
		e := spec.Value(p)
		assert.Equal(t, name, e.EventType())
		assert.Equal(t, "domain."+name, fmt.Sprintf("%T", e), "%s is a value of its struct", name)
		assert.NotEmpty(t, e.Aggregate().Category, name)
	}
	assert.Equal(t, 1, domain.SchemaVersion)
}

// TestEveryEventIsListed fails when the package declares an event type (a type with an
// EventType method) that EventTypes does not list, so it could not be decoded.
func TestEveryEventIsListed(t *testing.T) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	require.NoError(t, err)
	var declared []string
	for _, f := range pkgs["domain"].Files {
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv != nil && fn.Name.Name == "EventType" {
				declared = append(declared, receiverName(fn.Recv.List[0].Type))
			}
		}
	}
	slices.Sort(declared)
	assert.Equal(t, slices.Sorted(maps.Keys(domain.EventTypes())), declared)
}

func receiverName(x ast.Expr) string {
	if star, ok := x.(*ast.StarExpr); ok {
		x = star.X
	}
	return x.(*ast.Ident).Name
}
