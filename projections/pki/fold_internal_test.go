package pki

import (
	"fmt"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// TestFoldHasACaseForEveryCertificateEvent fails when a certificate event type (one with a row in
// the domain's lifecycle) is added without its case in fold, which would leave its status out
// of the read model.
func TestFoldHasACaseForEveryCertificateEvent(t *testing.T) {
	p, err := New()
	require.NoError(t, err)
	for name, spec := range domain.EventTypes() {
		if _, ok := domain.StatusAfter(spec.Value(spec.New())); !ok {
			continue
		}
		id := uuid.New()
		env := events.Envelope{Stream: events.StreamName(events.CategoryCertificate, id), Type: name,
			Data: fmt.Appendf(nil, `{"certificate_id":%q}`, id), Metadata: events.Metadata{SchemaVersion: domain.SchemaVersion}}
		b := batchState{newCerts: map[uuid.UUID]*certRow{}, patches: map[uuid.UUID]*certPatch{}}
		err := p.fold(&b, env)
		assert.NotErrorIs(t, err, errNoCase, name)
	}
}
