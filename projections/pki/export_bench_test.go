package pki_test

import (
	"context"
	"encoding/csv"
	"io"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/projections/pki"
)

// BenchmarkExportCSV streams the whole inventory of 1,000,000 rows as CSV records to
// io.Discard (the REST export minus HTTP), reporting rows/s and the peak heap in use, which
// must stay flat (issue 13 aims at >= 200,000 rows/s).
func BenchmarkExportCSV(b *testing.B) {
	if testing.Short() {
		b.Skip("loads 1,000,000 rows")
	}
	const rows = 1_000_000
	pool := pgtest.NewDatabase(b)
	loadCertificates(b, pool, rows)
	q := pki.NewQueries(pool)
	var peak uint64
	var ms runtime.MemStats
	for b.Loop() {
		w := csv.NewWriter(io.Discard)
		require.NoError(b, w.Write(pki.CSVHeader))
		n := 0
		err := q.ExportCertificates(context.Background(), pki.CertificateFilter{}, func(c pki.CertificateRow) error {
			if n++; n%100_000 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
			return w.Write(c.CSVRecord())
		})
		require.NoError(b, err)
		w.Flush()
		require.Equal(b, rows, n)
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}
