package events

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"math"
	"sync"

	"github.com/google/uuid"
)

// chainDomain separates ledger chain hashes from every other SHA-256 use.
const chainDomain = "certledger/chain/v1\x00"

// Members at the fixed-shape end of stored metadata, see the package doc.
const (
	prevMember = `"prev_hash":"`
	hashMember = `,"hash":"`
	closing    = `"}`
	// hashSuffixLen is the length of `,"hash":"<64 hex>"}`.
	hashSuffixLen = len(hashMember) + hashHexLen + len(closing)
	// tailLen is the length of `"prev_hash":"<64 hex>","hash":"<64 hex>"}`.
	tailLen = len(prevMember) + hashHexLen + 1 + hashSuffixLen
)

// closeBrace ends the metadata body that is hashed.
var closeBrace = []byte{'}'}

// storedTail locates the parts of stored metadata that the chain uses.
type storedTail struct {
	open    []byte // the metadata body without its closing brace
	prevHex []byte // the 64 digits of the prev_hash member
	hashHex []byte // the 64 digits of the hash member
}

// splitStored checks the fixed-shape end of stored metadata and returns its
// parts. It does not check that the digits are hexadecimal.
func splitStored(m []byte) (storedTail, error) {
	n := len(m)
	if n < tailLen+1 {
		return storedTail{}, fmt.Errorf("stored metadata: %d bytes is too short: %w", n, ErrMalformed)
	}
	prevAt, hashAt := n-tailLen, n-hashSuffixLen
	if m[0] != '{' || (m[prevAt-1] != ',' && m[prevAt-1] != '{') ||
		string(m[prevAt:prevAt+len(prevMember)]) != prevMember || m[hashAt-1] != '"' ||
		string(m[hashAt:hashAt+len(hashMember)]) != hashMember || string(m[n-len(closing):]) != closing {
		return storedTail{}, fmt.Errorf("stored metadata: does not end with the prev_hash and hash members: %w", ErrMalformed)
	}
	prevDigits := prevAt + len(prevMember)
	hashDigits := hashAt + len(hashMember)
	return storedTail{
		open:    m[:hashAt],
		prevHex: m[prevDigits : prevDigits+hashHexLen],
		hashHex: m[hashDigits : hashDigits+hashHexLen],
	}, nil
}

// checkLengths reports a field too long for its 32-bit length prefix.
func checkLengths(stream, eventType string, data, open []byte) error {
	const limit = math.MaxUint32 - 1 // the hashed body is open plus '}'
	if len(stream) > limit || len(eventType) > limit || len(data) > limit || len(open) > limit {
		return fmt.Errorf("field longer than %d bytes: %w", limit, ErrMalformed)
	}
	return nil
}

// chainHasher computes chain hashes without allocating once it is built.
// It is not safe for concurrent use.
type chainHasher struct {
	h   hash.Hash
	buf []byte
	sum []byte
}

func newChainHasher() *chainHasher {
	return &chainHasher{h: sha256.New(), buf: make([]byte, 0, 256), sum: make([]byte, 0, sha256.Size)}
}

// hasherPool holds chainHashers for HashOf and Seal.
var hasherPool = sync.Pool{New: func() any { return newChainHasher() }}

// chainHash returns the hash of an event; open is its metadata body without
// the closing brace. The caller has checked the lengths with checkLengths.
func (c *chainHasher) chainHash(prev Hash, stream string, revision uint64, id uuid.UUID, eventType string, data, open []byte) Hash {
	b := c.buf[:0]
	b = append(b, chainDomain...)
	b = append(b, prev[:]...)
	b = binary.BigEndian.AppendUint32(b, uint32(len(stream)))
	b = append(b, stream...)
	b = binary.BigEndian.AppendUint64(b, revision)
	b = append(b, id[:]...)
	b = binary.BigEndian.AppendUint32(b, uint32(len(eventType)))
	b = append(b, eventType...)
	b = binary.BigEndian.AppendUint32(b, uint32(len(data)))

	c.h.Reset()
	c.h.Write(b)
	c.h.Write(data)
	c.h.Write(binary.BigEndian.AppendUint32(b[:0], uint32(len(open)+1)))
	c.h.Write(open)
	c.h.Write(closeBrace)
	c.buf = b[:0]

	c.sum = c.h.Sum(c.sum[:0])
	return Hash(c.sum)
}

// HashOf recomputes the chain hash of a stored event from its stored bytes
// and the hash of the previous event in its stream (zero at revision 0). It
// fails if the stored metadata does not end with well-formed prev_hash and
// hash members. It does not compare the result with the stored hash.
func HashOf(r Raw, prev Hash) (Hash, error) {
	tail, err := splitStored(r.StoredMetadata)
	if err == nil && (!isLowerHex(tail.prevHex) || !isLowerHex(tail.hashHex)) {
		err = fmt.Errorf("stored metadata: hash digits are not lowercase hexadecimal: %w", ErrMalformed)
	}
	if err == nil {
		err = checkLengths(r.Stream, r.Type, r.Data, tail.open)
	}
	if err != nil {
		return Hash{}, fmt.Errorf("hash of %s@%d: %w", r.Stream, r.Revision, err)
	}
	c := hasherPool.Get().(*chainHasher)
	defer hasherPool.Put(c)
	return c.chainHash(prev, r.Stream, r.Revision, r.ID, r.Type, r.Data, tail.open), nil
}
