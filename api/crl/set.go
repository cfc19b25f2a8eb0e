package crl

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"slices"
)

// Chunk sizes of an entrySet: a chunk is split when its encodings pass maxChunk bytes, into
// pieces of about targetChunk bytes.
const (
	targetChunk = 32 << 10
	maxChunk    = 2 * targetChunk
)

// entrySet holds entry encodings sorted by serial number, in chunks of concatenated DER: a CRL
// is built by copying whole chunks, and an entry costs its bytes plus four, not a heap object.
// New entries wait in a pending list; the next read sorts them and merges each into the one
// chunk it belongs to, so an insertion rewrites at most a chunk (≤ 64 KiB), whatever the size
// of the set. It is not safe for concurrent use.
type entrySet struct {
	chunks  []*chunk
	pending []pendingEntry
	count   int
}

// chunk is a run of entries: their encodings back to back in data, entry i at offs[i].
type chunk struct {
	data []byte
	offs []int32
}

type pendingEntry struct {
	key    []byte // the serial's magnitude (serialKey), within der
	prefix uint64 // the key's first 8 octets, so that sorting rarely reads der
	der    []byte
	seq    int // order of put, so that the last put of a serial wins
}

// comparePending orders pending entries by serial, then by put order.
func comparePending(a, b pendingEntry) int {
	if c := cmp.Compare(len(a.key), len(b.key)); c != 0 {
		return c
	}
	if c := cmp.Compare(a.prefix, b.prefix); c != 0 {
		return c
	}
	if c := bytes.Compare(a.key, b.key); c != 0 {
		return c
	}
	return cmp.Compare(a.seq, b.seq)
}

func newEntrySet() *entrySet { return &entrySet{} }

// put adds an entry encoding, or replaces the entry of the same serial (a changed reason, say).
func (s *entrySet) put(der []byte) {
	key := serialKey(der)
	var head [8]byte
	copy(head[:], key)
	s.pending = append(s.pending, pendingEntry{key: key, prefix: binary.BigEndian.Uint64(head[:]), der: der, seq: len(s.pending)})
}

// len returns the number of entries.
func (s *entrySet) len() int {
	s.flush()
	return s.count
}

// segments returns the encodings of every entry sorted by serial, as the chunks' byte runs.
// They are valid until the next put.
func (s *entrySet) segments() [][]byte {
	s.flush()
	out := make([][]byte, len(s.chunks))
	for i, c := range s.chunks {
		out[i] = c.data
	}
	return out
}

// compareKeys orders serial magnitudes as numbers: shorter ones are smaller.
func compareKeys(a, b []byte) int {
	if c := cmp.Compare(len(a), len(b)); c != 0 {
		return c
	}
	return bytes.Compare(a, b)
}

// flush merges the pending entries into the chunks.
func (s *entrySet) flush() {
	if len(s.pending) == 0 {
		return
	}
	pend := s.pending
	slices.SortFunc(pend, comparePending)
	// Of entries with the same serial, the one put last wins.
	w := 0
	for i := range pend {
		if i+1 < len(pend) && compareKeys(pend[i].key, pend[i+1].key) == 0 {
			continue
		}
		pend[w] = pend[i]
		w++
	}
	pend = pend[:w]
	if len(s.chunks) == 0 {
		s.chunks = []*chunk{{}}
	}
	// Each run of pending entries goes to the first chunk whose last serial is not below its
	// first serial (or the last chunk): binary searches, so the chunks untouched cost nothing.
	for len(pend) > 0 {
		ci, _ := slices.BinarySearchFunc(s.chunks[:len(s.chunks)-1], pend[0].key, func(c *chunk, k []byte) int {
			return compareKeys(c.key(len(c.offs)-1), k)
		})
		n := len(pend)
		if ci < len(s.chunks)-1 {
			last := s.chunks[ci].key(len(s.chunks[ci].offs) - 1)
			n, _ = slices.BinarySearchFunc(pend, last, func(p pendingEntry, k []byte) int {
				if compareKeys(p.key, k) <= 0 {
					return -1
				}
				return 1
			})
		}
		s.chunks = slices.Replace(s.chunks, ci, ci+1, s.merge(s.chunks[ci], pend[:n])...)
		pend = pend[n:]
	}
	clear(s.pending)
	s.pending = s.pending[:0]
}

// merge returns c with the sorted entries pend merged in, split into chunks if it grew too big.
func (s *entrySet) merge(c *chunk, pend []pendingEntry) []*chunk {
	var total int
	for _, p := range pend {
		total += len(p.der)
	}
	m := &chunk{data: make([]byte, 0, len(c.data)+total), offs: make([]int32, 0, len(c.offs)+len(pend))}
	i := 0
	for _, p := range pend {
		for ; i < len(c.offs) && compareKeys(c.key(i), p.key) < 0; i++ {
			m.add(c.entry(i))
		}
		if i < len(c.offs) && compareKeys(c.key(i), p.key) == 0 {
			i++ // Replaced.
		} else {
			s.count++
		}
		m.add(p.der)
	}
	for ; i < len(c.offs); i++ {
		m.add(c.entry(i))
	}
	return m.split()
}

func (c *chunk) add(der []byte) {
	c.offs = append(c.offs, int32(len(c.data)))
	c.data = append(c.data, der...)
}

// entry returns the encoding of entry i.
func (c *chunk) entry(i int) []byte {
	end := len(c.data)
	if i+1 < len(c.offs) {
		end = int(c.offs[i+1])
	}
	return c.data[c.offs[i]:end]
}

// key returns the serial magnitude of entry i, read from its encoding.
func (c *chunk) key(i int) []byte { return serialKey(c.data[c.offs[i]:]) }

// split cuts a chunk over maxChunk bytes into pieces of about targetChunk bytes.
func (c *chunk) split() []*chunk {
	if len(c.data) <= maxChunk {
		return []*chunk{c}
	}
	var out []*chunk
	for start := 0; start < len(c.offs); {
		end := start + 1
		for end < len(c.offs) && int(c.offs[end]-c.offs[start]) < targetChunk {
			end++
		}
		stop := len(c.data)
		if end < len(c.offs) {
			stop = int(c.offs[end])
		}
		piece := &chunk{data: slices.Clone(c.data[c.offs[start]:stop]), offs: make([]int32, end-start)}
		for j := range piece.offs {
			piece.offs[j] = c.offs[start+j] - c.offs[start]
		}
		out = append(out, piece)
		start = end
	}
	return out
}
