package domain

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// The kinds of place a certificate is discovered at.
const (
	LocationNetwork = "network" // a TLS endpoint, asked for a server name
	LocationFile    = "file"    // a file on a host
)

// Location is where a discovery scan looked: a TLS endpoint or a file.
type Location struct {
	Kind string `json:"kind"`
	// Address is host:port of a TLS endpoint; ServerName the SNI name it was asked for.
	Address    string `json:"address,omitempty"`
	ServerName string `json:"server_name,omitempty"`
	// Host is the host a file is on (an agent's host); Path the file.
	Host string `json:"host,omitempty"`
	Path string `json:"path,omitempty"`
}

// Key is the location's identity within a scope: "tls://name@host:port" or
// "file://host/path".
func (l Location) Key() string {
	if l.Kind == LocationFile {
		return "file://" + l.Host + "/" + strings.TrimPrefix(l.Path, "/")
	}
	if l.ServerName == "" {
		return "tls://" + l.Address
	}
	return "tls://" + l.ServerName + "@" + l.Address
}

// validate checks that a location names one place.
func (l Location) validate() error {
	switch l.Kind {
	case LocationNetwork:
		if l.Address == "" {
			return invalidf("a network location needs an address (host:port)")
		}
	case LocationFile:
		if l.Host == "" || l.Path == "" {
			return invalidf("a file location needs a host and a path")
		}
	default:
		return invalidf("location kind %q: want %q or %q", l.Kind, LocationNetwork, LocationFile)
	}
	return nil
}

// Fingerprint is the lower-case hex SHA-256 of a certificate's DER, the identity of a
// discovered certificate.
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// IsFingerprint reports whether s is a fingerprint as Fingerprint writes it: 64 lower-case
// hexadecimal digits.
func IsFingerprint(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && (r < 'a' || r > 'f') {
			return false
		}
	}
	return true
}
