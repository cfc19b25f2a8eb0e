package domain

import (
	"math/big"
	"strconv"
	"strings"
)

// MaxCRLPartitions bounds how many partitions a CA's CRL may be split into.
const MaxCRLPartitions = 256

// PartitionOf returns the CRL partition of a certificate with the given serial in a CA whose CRL
// has n partitions: serial mod n. Serials are random, so partitions balance, and a certificate's
// partition is fixed at issuance since its serial is. With n of 0 or 1 (not partitioned), or no
// serial, it is 0.
func PartitionOf(serial *big.Int, n int) int {
	if n <= 1 || serial == nil {
		return 0
	}
	return int(new(big.Int).Mod(serial, big.NewInt(int64(n))).Int64())
}

// CRLPartitionURL returns where partition k of a CA's CRL is published, derived from the CA's
// complete CRL URL: "<base>/crl/<ca>.crl" gives "<base>/crl/<ca>/p<k>.crl". Issued certificates
// carry it as their CRL distribution point and the partition CRL names it in its Issuing
// Distribution Point, so both must come from this one function.
func CRLPartitionURL(crlURL string, k int) string {
	return strings.TrimSuffix(crlURL, ".crl") + "/p" + strconv.Itoa(k) + ".crl"
}

// crlDistributionPoint is the CRL distribution point of a certificate with the given serial
// issued by ca: its partition's URL when the CA's CRL is partitioned, else the complete CRL's.
func crlDistributionPoint(ca *CA, serial *big.Int) string {
	if n := ca.CRLPartitions(); n > 1 {
		return CRLPartitionURL(ca.CRLURL(), PartitionOf(serial, n))
	}
	return ca.CRLURL()
}
