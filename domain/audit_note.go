package domain

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// CheckpointAlgorithm is how every checkpoint is signed: ECDSA on P-256 over the SHA-256 of
// the note, the signature ASN.1-encoded.
const CheckpointAlgorithm = "ecdsa-p256-sha256"

// CheckpointOrigin is the first line of every checkpoint note.
const CheckpointOrigin = "certledger.dev/checkpoint/v1"

// CheckpointBody is what a checkpoint note says: a tree size, the root of the Merkle tree of
// that many leaves, when it was signed, and the $all position of its last leaf.
type CheckpointBody struct {
	TreeSize     int64
	RootHash     [32]byte
	SignedAt     time.Time
	LastPosition uint64
}

// CheckpointNote returns the signed text of a checkpoint, five lines each ending in '\n':
//
//	certledger.dev/checkpoint/v1
//	<tree size, decimal>
//	<root hash, standard base64 with padding>
//	<signed at, RFC 3339 with nanoseconds, UTC>
//	<last position, decimal>
//
// Like a C2SP tlog checkpoint, the origin line names the log and the format, then size and root.
func CheckpointNote(b CheckpointBody) string {
	return fmt.Sprintf("%s\n%d\n%s\n%s\n%d\n", CheckpointOrigin, b.TreeSize, base64.StdEncoding.EncodeToString(b.RootHash[:]),
		b.SignedAt.UTC().Format(time.RFC3339Nano), b.LastPosition)
}

// ParseCheckpointNote reads a note written by CheckpointNote. Anything else — another origin,
// extra lines, a non-canonical number, time or base64 — is a KindInvalid error, so that every
// body has exactly one note.
func ParseCheckpointNote(note string) (CheckpointBody, error) {
	var b CheckpointBody
	lines := strings.Split(note, "\n")
	if len(lines) != 6 || lines[5] != "" || lines[0] != CheckpointOrigin {
		return b, invalidf("checkpoint note: not five lines starting with %q", CheckpointOrigin)
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 {
		return b, invalidf("checkpoint note: tree size %q is not a number", lines[1])
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != len(b.RootHash) {
		return b, invalidf("checkpoint note: root %q is not 32 bytes of base64", lines[2])
	}
	at, err := time.Parse(time.RFC3339Nano, lines[3])
	if err != nil {
		return b, invalidf("checkpoint note: signed-at %q is not an RFC 3339 time", lines[3])
	}
	pos, err := strconv.ParseUint(lines[4], 10, 64)
	if err != nil {
		return b, invalidf("checkpoint note: last position %q is not a number", lines[4])
	}
	b = CheckpointBody{TreeSize: size, SignedAt: at.UTC(), LastPosition: pos}
	copy(b.RootHash[:], root)
	if CheckpointNote(b) != note {
		return CheckpointBody{}, invalidf("checkpoint note: not in canonical form")
	}
	return b, nil
}

// AuditKeyID returns the id of an audit public key: the lowercase hex SHA-256 of its DER
// SubjectPublicKeyInfo.
func AuditKeyID(pub crypto.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", fmt.Errorf("audit key id: %w", err)
	}
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:]), nil
}

// VerifyCheckpointSignature checks that signature is a CheckpointAlgorithm signature of note by
// pub, which must be a P-256 ECDSA public key.
func VerifyCheckpointSignature(pub crypto.PublicKey, note string, signature []byte) error {
	key, ok := pub.(*ecdsa.PublicKey)
	if !ok || key.Curve != elliptic.P256() {
		return invalidf("checkpoint signature: the audit key is %T, not an ECDSA P-256 key", pub)
	}
	digest := sha256.Sum256([]byte(note))
	if !ecdsa.VerifyASN1(key, digest[:], signature) {
		return invalidf("checkpoint signature: does not verify with the audit key")
	}
	return nil
}
