package tlsscan_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/tlsscan"
)

func TestParseTargetsExpandsHostsRangesAndPorts(t *testing.T) {
	got, err := tlsscan.ParseTargets([]string{"www.example.com:8443", "10.0.0.0/31", "[::1]:443", "db.internal"},
		[]int{443, 636}, nil, 0)
	require.NoError(t, err)
	var shown []string
	for _, target := range got {
		shown = append(shown, target.String())
	}
	assert.Equal(t, []string{"www.example.com:8443", "10.0.0.0:443", "10.0.0.0:636", "10.0.0.1:443",
		"10.0.0.1:636", "[::1]:443", "db.internal:443", "db.internal:636"}, shown)
	assert.Equal(t, "www.example.com", got[0].ServerName, "a host name is its own SNI name")
	assert.Empty(t, got[1].ServerName, "an address sends no SNI")
}

func TestParseTargetsAsksForEveryExtraName(t *testing.T) {
	got, err := tlsscan.ParseTargets([]string{"192.0.2.7"}, []int{443}, []string{"a.example.com", "b.example.com"}, 0)
	require.NoError(t, err)
	assert.Equal(t, []tlsscan.Target{{Address: "192.0.2.7:443", ServerName: "a.example.com"},
		{Address: "192.0.2.7:443", ServerName: "b.example.com"}}, got)
	assert.Equal(t, "a.example.com@192.0.2.7:443", got[0].String())
}

func TestParseTargetsRefusesWhatCannotBeScanned(t *testing.T) {
	cases := map[string]struct {
		specs []string
		ports []int
		limit int
		want  string
	}{
		"port out of range":   {[]string{"h:70000"}, nil, 0, "not a number in 1-65535"},
		"port list bad":       {[]string{"h"}, []int{0}, 0, "out of range"},
		"no port":             {[]string{"h"}, nil, 0, "no port"},
		"no host":             {[]string{":443"}, nil, 0, "no host"},
		"not a range":         {[]string{"10.0.0.0/99"}, []int{443}, 0, "not a CIDR range"},
		"a /8":                {[]string{"10.0.0.0/8"}, []int{443}, 0, "more than 1048576 addresses"},
		"more than the limit": {[]string{"10.0.0.0/24"}, []int{443, 8443}, 500, "more than 500 endpoints"},
		"empty":               {[]string{" "}, []int{443}, 0, "empty target"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := tlsscan.ParseTargets(c.specs, c.ports, nil, c.limit)
			assert.ErrorContains(t, err, c.want)
		})
	}
}
