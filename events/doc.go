// Package events defines the ledger's event envelope, its per-stream hash
// chain, deterministic event ids, stream names and the registry that decodes
// and upcasts event payloads.
//
// # Streams
//
// Ledger events live in streams named "<category>-<uuid>" (see StreamName),
// for example "certificate-5f0c…". Categories contain no '-' and never start
// with '$'; a stream whose name starts with '$' is a system stream of the
// store and is not part of the ledger.
//
// # Stored form
//
// An event is stored as its type, its data (a JSON document, kept byte for
// byte) and a custom-metadata JSON object written by Seal:
//
//	{"schema_version":1,"occurred_at":"…","actor":{…},…,"prev_hash":"<64 hex>","hash":"<64 hex>"}
//
// The object always ends with the "prev_hash" member followed by the "hash"
// member, each holding exactly 64 lowercase hexadecimal digits. So the last
// 153 bytes of the stored metadata have a fixed shape:
//
//	"prev_hash":"<64 hex>","hash":"<64 hex>"}
//
// Seal writes the metadata with encoding/json, members in the order of
// the Metadata fields; ParseEnvelope accepts only that exact form. Fields
// added to Metadata later must therefore be optional (omitempty), so that
// older events keep their form.
//
// The metadata body is the stored metadata with its fixed 75-byte suffix
// `,"hash":"<64 hex>"}` replaced by a single `}`: it is the object of the
// Metadata fields and prev_hash, without the hash. A verifier finds both
// hashes at fixed offsets from the end and never needs to parse JSON.
//
// # Hash chain
//
// Each stream is a hash chain. The hash of the event at revision n is
//
//	SHA-256( "certledger/chain/v1\x00"
//	       || prev            32 bytes: hash of revision n-1, zeros at revision 0
//	       || u32(len(stream)) || stream
//	       || u64(revision)
//	       || event id        16 bytes
//	       || u32(len(type))  || type
//	       || u32(len(data))  || data     exact stored bytes
//	       || u32(len(body))  || body )   metadata body, see above
//
// where u32 and u64 are big-endian unsigned integers. Every field is either
// fixed-length or length-prefixed, so no two distinct events share an input.
//
// # Invariants
//
//   - Revisions in a stream start at 0 and increase by exactly 1.
//   - The stored prev_hash of revision 0 is 32 zero bytes; that of revision
//     n > 0 is the hash of revision n-1 in the same stream.
//   - The stored hash equals the hash recomputed from the stored bytes, the
//     stream name, the revision, the event id and the stored prev_hash.
//   - Metadata times are UTC; schema versions are at least 1.
//   - Event ids are deterministic (EventID), so a retried command appends
//     the same ids and the store can deduplicate it.
//
// Verifier checks the first three invariants over a sequence of raw events
// and reports the first break as a *ChainError naming stream and revision.
package events
