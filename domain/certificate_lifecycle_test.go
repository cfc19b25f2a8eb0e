package domain

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLifecycleCoversEveryCertificateEvent fails when a certificate event type is added without
// its row in lifecycle or its case in Certificate.Apply, and when a row names no certificate
// event.
func TestLifecycleCoversEveryCertificateEvent(t *testing.T) {
	certificateTypes := 0
	for name, spec := range EventTypes() {
		e := spec.Value(spec.New())
		status, ok := StatusAfter(e)
		if e.Aggregate().Category != CategoryCertificate {
			assert.False(t, ok, "%s is not a certificate event but has a lifecycle row", name)
			continue
		}
		certificateTypes++
		require.True(t, ok, "certificate event %s has no row in lifecycle", name)
		assert.NotEmpty(t, status, name)
		t.Run(name, func(t *testing.T) {
			for _, from := range lifecycle[name].from {
				c := &Certificate{status: from}
				require.NoError(t, c.Apply(e), "Certificate.Apply has no case for %s", name)
				assert.Equal(t, status, c.Status())
			}
		})
	}
	assert.Len(t, lifecycle, certificateTypes, "every lifecycle row is a certificate event type")
}
