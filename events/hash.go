package events

import (
	"encoding/hex"
	"fmt"
)

// hashHexLen is the length of a hash written as hexadecimal digits.
const hashHexLen = 2 * len(Hash{})

// Hash is a SHA-256 hash of an event in a stream's hash chain.
type Hash [32]byte

// String returns the hash as 64 lowercase hexadecimal digits.
func (h Hash) String() string {
	return hex.EncodeToString(h[:])
}

// IsZero reports whether all bytes of the hash are zero, as is the previous
// hash of the first event in a stream.
func (h Hash) IsZero() bool {
	return h == Hash{}
}

// MarshalText returns the hash as 64 lowercase hexadecimal digits.
func (h Hash) MarshalText() ([]byte, error) {
	b := make([]byte, hashHexLen)
	hex.Encode(b, h[:])
	return b, nil
}

// UnmarshalText parses a hash written as by MarshalText.
func (h *Hash) UnmarshalText(text []byte) error {
	parsed, err := parseHashBytes(text)
	if err != nil {
		return err
	}
	*h = parsed
	return nil
}

// ParseHash parses a hash written as exactly 64 lowercase hexadecimal
// digits, the form String returns.
func ParseHash(s string) (Hash, error) {
	return parseHashBytes([]byte(s))
}

// parseHashBytes parses exactly 64 lowercase hexadecimal digits. Uppercase
// digits are rejected so that every hash has a single written form.
func parseHashBytes(b []byte) (Hash, error) {
	var h Hash
	if len(b) != hashHexLen {
		return h, fmt.Errorf("parse hash: want %d hex digits, got %d bytes: %w", hashHexLen, len(b), ErrMalformed)
	}
	if !isLowerHex(b) {
		return h, fmt.Errorf("parse hash: not lowercase hexadecimal: %w", ErrMalformed)
	}
	if _, err := hex.Decode(h[:], b); err != nil {
		return h, fmt.Errorf("parse hash: %w: %w", err, ErrMalformed)
	}
	return h, nil
}

// isLowerHex reports whether b consists only of the digits 0-9 and a-f.
func isLowerHex(b []byte) bool {
	for _, c := range b {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
