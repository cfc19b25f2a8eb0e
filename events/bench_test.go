package events_test

import (
	"fmt"
	"testing"

	"github.com/google/uuid"

	"github.com/certledger/certledger/events"
)

// benchLog seals perStream events in each of streams streams and returns
// them interleaved, as a read of $all would return them.
func benchLog(b *testing.B, streams, perStream, dataSize int) []events.Raw {
	b.Helper()
	all := make([][]events.Raw, streams)
	for s := range all {
		id := uuid.NewSHA1(uuid.NameSpaceOID, fmt.Appendf(nil, "%d", s))
		all[s], _ = sealStream(b, events.StreamName(events.CategoryCertificate, id), perStream, dataSize)
	}
	return interleave(all...)
}

// eventBytes is the average number of stored bytes per event.
func eventBytes(log []events.Raw) int64 {
	var n int
	for _, r := range log {
		n += len(r.Stream) + len(r.Type) + len(r.Data) + len(r.StoredMetadata)
	}
	return int64(n / len(log))
}

// BenchmarkVerify measures chain verification per event over 1,000
// interleaved streams of 10 events; the log is verified again from scratch
// with a new Verifier whenever it is exhausted.
func BenchmarkVerify(b *testing.B) {
	for _, size := range []int{128, 1024} {
		b.Run(fmt.Sprintf("data=%dB", size), func(b *testing.B) {
			log := benchLog(b, 1000, 10, size)
			b.SetBytes(eventBytes(log))
			b.ReportAllocs()
			v, i := events.NewVerifier(), 0
			for b.Loop() {
				if i == len(log) {
					v, i = events.NewVerifier(), 0
				}
				if err := v.Add(log[i]); err != nil {
					b.Fatal(err)
				}
				i++
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// BenchmarkSeal measures sealing one event with 1 KiB of data.
func BenchmarkSeal(b *testing.B) {
	p := proposal(uuid.New(), 0, 1024)
	prev := events.Hash{1}
	b.SetBytes(int64(len(p.Data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := events.Seal(streamA, 1, prev, p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkParseEnvelope measures decoding one event's stored metadata.
func BenchmarkParseEnvelope(b *testing.B) {
	raws, _ := sealStream(b, streamA, 1, 1024)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := events.ParseEnvelope(raws[0]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkVerifyParallel measures chain verification spread over two workers, the machine's
// cores, over 1,000 interleaved streams of 10 events.
func BenchmarkVerifyParallel(b *testing.B) {
	for _, size := range []int{128, 1024} {
		b.Run(fmt.Sprintf("data=%dB", size), func(b *testing.B) {
			log := benchLog(b, 1000, 10, size)
			b.SetBytes(eventBytes(log))
			p, i := events.NewParallelVerifier(2), 0
			for b.Loop() {
				if i == len(log) {
					if _, err := p.Close(); err != nil {
						b.Fatal(err)
					}
					p, i = events.NewParallelVerifier(2), 0
				}
				p.Add(log[i])
				i++
			}
			if _, err := p.Close(); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
