package est

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseLabels(t *testing.T) {
	const ca = "a765cdbb-0957-5dc5-94eb-1911bd70f6b2"
	ls, err := ParseLabels([]byte(`[{"label":"","ca_id":"` + ca + `","profile":"devices"},{"label":"iot","ca_id":"` + ca + `","profile":"p"}]`))
	require.NoError(t, err)
	assert.Equal(t, []Label{{"", ca, "devices"}, {"iot", ca, "p"}}, ls)

	for name, bad := range map[string]string{
		"not JSON":           `{`,
		"an operation":       `[{"label":"cacerts","ca_id":"` + ca + `","profile":"p"}]`,
		"a path":             `[{"label":"a/b","ca_id":"` + ca + `","profile":"p"}]`,
		"twice":              `[{"label":"x","ca_id":"` + ca + `","profile":"p"},{"label":"x","ca_id":"` + ca + `","profile":"p"}]`,
		"a CA that is no id": `[{"label":"x","ca_id":"root","profile":"p"}]`,
		"no profile":         `[{"label":"x","ca_id":"` + ca + `"}]`,
	} {
		_, err := ParseLabels([]byte(bad))
		assert.Error(t, err, name)
	}
}
