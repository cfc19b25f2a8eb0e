package crl

import (
	"cmp"
	"slices"
)

// entrySet holds encoded entries keyed by serial number and yields them sorted by serial. A new
// entry goes to a pending list; the next read sorts the pending entries alone and merges them
// into the sorted slice in place, so an insertion never re-sorts or re-encodes the whole set.
// It is not safe for concurrent use.
type entrySet struct {
	byKey   map[string]*record
	sorted  []*record
	pending []*record
	size    int // total length of the encodings
}

// record is one entry: its sort key and its RevokedCertificate DER.
type record struct {
	key string // the serial's magnitude, big-endian without leading zeros
	der []byte
}

func newEntrySet() *entrySet {
	return &entrySet{byKey: map[string]*record{}}
}

// compareKeys orders keys as the serial numbers they are: shorter magnitudes are smaller.
func compareKeys(a, b string) int {
	if c := cmp.Compare(len(a), len(b)); c != 0 {
		return c
	}
	return cmp.Compare(a, b)
}

func compareRecords(a, b *record) int { return compareKeys(a.key, b.key) }

// put adds the entry for key, or replaces the encoding of an entry already held (a changed
// reason, say), in O(1).
func (s *entrySet) put(key string, der []byte) {
	if r, ok := s.byKey[key]; ok {
		s.size += len(der) - len(r.der)
		r.der = der
		return
	}
	r := &record{key: key, der: der}
	s.byKey[key] = r
	s.pending = append(s.pending, r)
	s.size += len(der)
}

// len returns the number of entries.
func (s *entrySet) len() int { return len(s.byKey) }

// ordered returns every entry sorted by serial. The slice is valid until the next put.
func (s *entrySet) ordered() []*record {
	if len(s.pending) == 0 {
		return s.sorted
	}
	slices.SortFunc(s.pending, compareRecords)
	n, m := len(s.sorted), len(s.pending)
	s.sorted = slices.Grow(s.sorted, m)[:n+m]
	// Merge from the back: only the entries above the smallest new serial move.
	i, j := n-1, m-1
	for k := n + m - 1; j >= 0; k-- {
		if i >= 0 && compareRecords(s.sorted[i], s.pending[j]) > 0 {
			s.sorted[k] = s.sorted[i]
			i--
		} else {
			s.sorted[k] = s.pending[j]
			j--
		}
	}
	clear(s.pending)
	s.pending = s.pending[:0]
	return s.sorted
}
