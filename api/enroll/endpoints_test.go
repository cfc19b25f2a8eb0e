package enroll

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCheckEndpoints(t *testing.T) {
	const ca = "a765cdbb-0957-5dc5-94eb-1911bd70f6b2"
	assert.NoError(t, CheckEndpoints("SCEP provisioner", false, []Endpoint{{"devices", ca, "p"}, {"iot.v2", ca, "p"}}))
	assert.NoError(t, CheckEndpoints("EST label", true, []Endpoint{{"", ca, "p"}, {"iot", ca, "p"}}))
	for name, bad := range map[string][]Endpoint{
		"an empty name":      {{"", ca, "p"}},
		"a path":             {{"a/b", ca, "p"}},
		"upper case":         {{"Devices", ca, "p"}},
		"twice":              {{"x", ca, "p"}, {"x", ca, "p"}},
		"a CA that is no id": {{"x", "root", "p"}},
		"no profile":         {{"x", ca, ""}},
	} {
		assert.Error(t, CheckEndpoints("SCEP provisioner", false, bad), name)
	}
	assert.Error(t, CheckEndpoints("EST label", true, []Endpoint{{"", ca, "p"}, {"", ca, "p"}}), "the default twice")
}
