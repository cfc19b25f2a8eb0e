package domain_test

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

func TestPartitionOfIsSerialModN(t *testing.T) {
	big40, _ := new(big.Int).SetString("7f3a9c0d11e24b6a8f0c5d9e2a1b3c4d", 16)
	for _, tc := range []struct {
		name   string
		serial *big.Int
		n      int
		want   int
	}{
		{"not partitioned", big.NewInt(7), 0, 0},
		{"one partition", big.NewInt(7), 1, 0},
		{"small", big.NewInt(7), 4, 3},
		{"multiple", big.NewInt(8), 4, 0},
		{"128-bit serial", big40, 256, 0x4d},
		{"no serial", nil, 4, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, domain.PartitionOf(tc.serial, tc.n))
			assert.Equal(t, tc.want, domain.PartitionOf(tc.serial, tc.n), "stable")
		})
	}
}

func TestCRLPartitionURL(t *testing.T) {
	assert.Equal(t, "http://pki.example.com/crl/ca1/p3.crl", domain.CRLPartitionURL("http://pki.example.com/crl/ca1.crl", 3))
	assert.Equal(t, "http://pki.example.com/crl/ca1/p0.crl", domain.CRLPartitionURL("http://pki.example.com/crl/ca1", 0))
}

func TestCASpecBoundsCRLPartitions(t *testing.T) {
	for _, tc := range []struct {
		n  int
		ok bool
	}{{0, true}, {1, true}, {4, true}, {domain.MaxCRLPartitions, true}, {-1, false}, {domain.MaxCRLPartitions + 1, false}} {
		spec := caSpec("Root", 1, 3650)
		spec.CRLPartitions = tc.n
		err := spec.Validate()
		if tc.ok {
			assert.NoError(t, err, "%d partitions", tc.n)
			continue
		}
		var de *domain.Error
		require.ErrorAs(t, err, &de, "%d partitions", tc.n)
		assert.Equal(t, []string{"crl_partitions/range"}, kinds(de.Violations))
	}
}

func TestLeafOfPartitionedCANamesItsPartition(t *testing.T) {
	root, rootKey, _ := newRoot(t, caSpec("Root", 1, 3650))
	spec := caSpec("Issuing", 0, 1825)
	spec.CRLURL = "http://pki.example.com/crl/issuing.crl"
	spec.CRLPartitions = 4
	inter, interKey := newIntermediate(t, spec, root, rootKey)
	require.Equal(t, 4, inter.CRLPartitions())
	c := chain{root: root, inter: inter, rootKey: rootKey, interKey: interKey}
	p := defineProfile(t, webSpec("", false))

	seen := map[int]bool{}
	for range 16 {
		csr, _ := dnsCSR(t, "www.example.com", "www.example.com")
		leaf, err := x509.ParseCertificate(c.issueLeaf(t, csr, p, t0, 30))
		require.NoError(t, err)
		k := domain.PartitionOf(leaf.SerialNumber, 4)
		seen[k] = true
		assert.Equal(t, []string{fmt.Sprintf("http://pki.example.com/crl/issuing/p%d.crl", k)}, leaf.CRLDistributionPoints)
	}
	assert.Greater(t, len(seen), 1, "random serials spread over the partitions")
	assert.Equal(t, []string{root.CRLURL()}, inter.Certificate().CRLDistributionPoints, "a CA certificate names its parent's complete CRL")
}

func TestCRLPartitionsSurviveTheEventAndOldEventsDecode(t *testing.T) {
	var d domain.CADetails
	require.NoError(t, json.Unmarshal([]byte(`{"ca_id":"x","crl_url":"http://a/crl/x.crl"}`), &d))
	assert.Zero(t, d.CRLPartitions, "events recorded before partitions decode as not partitioned")
	raw, err := json.Marshal(domain.CADetails{CRLPartitions: 8})
	require.NoError(t, err)
	assert.Contains(t, string(raw), `"crl_partitions":8`)
	serial, err := domain.NewSerial(rand.Reader)
	require.NoError(t, err)
	assert.Less(t, domain.PartitionOf(serial, 8), 8)
}
