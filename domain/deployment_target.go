package domain

import (
	"net"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// DeploymentFormat is how a certificate and its key are written on the host.
type DeploymentFormat string

// The formats an agent writes.
const (
	FormatPEM    DeploymentFormat = "pem"    // certificate, key and chain files
	FormatPKCS12 DeploymentFormat = "pkcs12" // one PKCS#12 keystore
	FormatJKS    DeploymentFormat = "jks"    // one Java keystore
)

// DeploymentTarget is where an agent installs a certificate: paths on its host in a format,
// a reload hook by name and an endpoint that must then serve the certificate. The ledger names a
// hook but never sends a command line: what a name runs, and which directories may be written,
// is configured on the host, which refuses anything outside it.
type DeploymentTarget struct {
	AgentID string           `json:"agent_id"`
	Format  DeploymentFormat `json:"format"`
	// CertPath and KeyPath (and optionally ChainPath) for PEM; KeystorePath for PKCS#12 and JKS.
	CertPath     string `json:"cert_path,omitempty"`
	KeyPath      string `json:"key_path,omitempty"`
	ChainPath    string `json:"chain_path,omitempty"`
	KeystorePath string `json:"keystore_path,omitempty"`
	// Hook names a reload hook of the host's configuration, such as "nginx"; "" runs none.
	Hook string `json:"hook,omitempty"`
	// VerifyEndpoint is host:port that must serve the certificate after the hook; "" reads back only.
	VerifyEndpoint string `json:"verify_endpoint,omitempty"`
	// ServerName is the SNI name sent to VerifyEndpoint; "" sends the first DNS name.
	ServerName string `json:"server_name,omitempty"`
}

var hookName = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,63}$`)

// Paths returns the target's paths, those of its format only.
func (t DeploymentTarget) Paths() []string {
	if t.Format == FormatPEM {
		out := []string{t.CertPath, t.KeyPath}
		if t.ChainPath != "" {
			out = append(out, t.ChainPath)
		}
		return out
	}
	return []string{t.KeystorePath}
}

// check lists every problem with the target. Paths must be absolute and clean (no "..", no
// doubled or trailing slashes) and distinct; whether they lie under the host's allowed roots
// only the host can tell.
func (t DeploymentTarget) check() []Violation {
	var vs []Violation
	switch t.Format {
	case FormatPEM:
		if t.KeystorePath != "" {
			vs = append(vs, violation("target.keystore_path", "unexpected", "a PEM target has no keystore path"))
		}
	case FormatPKCS12, FormatJKS:
		if t.CertPath != "" || t.KeyPath != "" || t.ChainPath != "" {
			vs = append(vs, violation("target.cert_path", "unexpected", "a %s target has one keystore path only", t.Format))
		}
	default:
		vs = append(vs, violation("target.format", "unknown", "format %q is not pem, pkcs12 or jks", t.Format))
		return vs
	}
	seen := map[string]bool{}
	for _, p := range t.Paths() {
		switch {
		case p == "" || !strings.HasPrefix(p, "/") || path.Clean(p) != p || strings.ContainsRune(p, 0) || p == "/":
			vs = append(vs, violation("target.paths", "path", "path %q is not an absolute, clean file path", p))
		case strings.Contains(p, ".."):
			vs = append(vs, violation("target.paths", "traversal", "path %q names a parent directory", p))
		case seen[p]:
			vs = append(vs, violation("target.paths", "duplicate", "path %q is named twice", p))
		}
		seen[p] = true
	}
	if t.Hook != "" && !hookName.MatchString(t.Hook) {
		vs = append(vs, violation("target.hook", "name", "hook %q is not a hook name (letters, digits, '_', '.', '-'); a command line is never sent", t.Hook))
	}
	if t.VerifyEndpoint != "" {
		host, port, err := net.SplitHostPort(t.VerifyEndpoint)
		if n, perr := strconv.Atoi(port); err != nil || host == "" || perr != nil || n < 1 || n > 65535 {
			vs = append(vs, violation("target.verify_endpoint", "syntax", "verify endpoint %q is not host:port", t.VerifyEndpoint))
		}
	}
	if t.ServerName != "" && !validHostname(t.ServerName) {
		vs = append(vs, violation("target.server_name", "syntax", "server name %q is not a host name", t.ServerName))
	}
	return vs
}
