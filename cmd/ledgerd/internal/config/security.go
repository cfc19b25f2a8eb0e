package config

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/certledger/certledger/domain"
)

// Security is how ledgerd authenticates callers beyond its own tokens, and how hard it lets
// them push.
type Security struct {
	// OIDCIssuer is the OpenID Connect issuer whose JWTs authenticate users; empty turns JWT
	// authentication off. Its JWKS is found through /.well-known/openid-configuration unless
	// OIDCJWKSURL names it.
	OIDCIssuer  string `json:"oidc_issuer"`
	OIDCJWKSURL string `json:"oidc_jwks_url"`
	// OIDCAudience is the audience a token must be for; required with OIDCIssuer.
	OIDCAudience string `json:"oidc_audience"`
	// OIDCRolesClaim and OIDCTeamClaim name the claims holding the roles and the team.
	OIDCRolesClaim string `json:"oidc_roles_claim"`
	OIDCTeamClaim  string `json:"oidc_team_claim"`
	// OIDCClockSkew is the leeway on exp, nbf and iat, as a Go duration.
	OIDCClockSkew string `json:"oidc_clock_skew"`

	// TLSAddr is the host:port of the optional TLS listener (TLS 1.3), where agents and
	// automation may authenticate with client certificates the ledger issued; empty: none.
	TLSAddr     string `json:"tls_addr"`
	TLSCertFile string `json:"tls_cert_file"`
	TLSKeyFile  string `json:"tls_key_file"`
	// MTLSRole is the role a client certificate stands for.
	MTLSRole string `json:"mtls_role"`

	// RateRead and RateWrite are the requests per second one principal may make to read
	// routes and to command routes; bursts of twice as many pass.
	RateRead  string `json:"rate_read"`
	RateWrite string `json:"rate_write"`
}

var securitySettings = []setting{
	{"LEDGER_OIDC_ISSUER", "oidc-issuer", "", "OIDC issuer URL whose JWTs authenticate users; empty: no JWTs",
		func(c *Config) *string { return &c.OIDCIssuer }},
	{"LEDGER_OIDC_AUDIENCE", "oidc-audience", "", "audience OIDC tokens must carry (required with -oidc-issuer)",
		func(c *Config) *string { return &c.OIDCAudience }},
	{"LEDGER_OIDC_JWKS_URL", "oidc-jwks-url", "", "JWKS URL; empty: discovered from the issuer",
		func(c *Config) *string { return &c.OIDCJWKSURL }},
	{"LEDGER_OIDC_ROLES_CLAIM", "oidc-roles-claim", "roles", "claim holding the roles (VIEWER, DEVOPS, SEC_OPS, ADMIN)",
		func(c *Config) *string { return &c.OIDCRolesClaim }},
	{"LEDGER_OIDC_TEAM_CLAIM", "oidc-team-claim", "team", "claim holding the team",
		func(c *Config) *string { return &c.OIDCTeamClaim }},
	{"LEDGER_OIDC_CLOCK_SKEW", "oidc-clock-skew", "60s", "leeway on token times",
		func(c *Config) *string { return &c.OIDCClockSkew }},
	{"LEDGER_TLS_ADDR", "tls-addr", "", "host:port of the TLS 1.3 listener with client certificates; empty: none",
		func(c *Config) *string { return &c.TLSAddr }},
	{"LEDGER_TLS_CERT_FILE", "tls-cert-file", "", "PEM certificate (chain) of the TLS listener",
		func(c *Config) *string { return &c.TLSCertFile }},
	{"LEDGER_TLS_KEY_FILE", "tls-key-file", "", "PEM private key of the TLS listener",
		func(c *Config) *string { return &c.TLSKeyFile }},
	{"LEDGER_MTLS_ROLE", "mtls-role", "DEVOPS", "role of a client certificate the ledger issued",
		func(c *Config) *string { return &c.MTLSRole }},
	{"LEDGER_RATE_READ", "rate-read", "200", "read requests per second per principal (burst twice that)",
		func(c *Config) *string { return &c.RateRead }},
	{"LEDGER_RATE_WRITE", "rate-write", "50", "commands per second per principal (burst twice that)",
		func(c *Config) *string { return &c.RateWrite }},
}

// ClockSkew returns OIDCClockSkew parsed.
func (s Security) ClockSkew() time.Duration {
	d, _ := time.ParseDuration(s.OIDCClockSkew) // Validate checked it
	return d
}

// Rates returns RateRead and RateWrite parsed.
func (s Security) Rates() (read, write float64) {
	read, _ = strconv.ParseFloat(s.RateRead, 64) // Validate checked them
	write, _ = strconv.ParseFloat(s.RateWrite, 64)
	return read, write
}

// validate reports each bad security setting through bad.
func (s Security) validate(bad func(flagName, format string, args ...any)) {
	if s.OIDCIssuer != "" {
		if u, err := url.Parse(s.OIDCIssuer); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("oidc-issuer", "%q is not an http or https URL", s.OIDCIssuer)
		}
		if strings.TrimSpace(s.OIDCAudience) == "" {
			bad("oidc-audience", "must be set when -oidc-issuer is")
		}
	}
	if d, err := time.ParseDuration(s.OIDCClockSkew); err != nil || d < 0 || d > 10*time.Minute {
		bad("oidc-clock-skew", "%q is not a duration from 0 to 10m", s.OIDCClockSkew)
	}
	if s.TLSAddr != "" {
		if err := checkHostPort(s.TLSAddr); err != nil {
			bad("tls-addr", "%v", err)
		}
		if s.TLSCertFile == "" || s.TLSKeyFile == "" {
			bad("tls-addr", "needs -tls-cert-file and -tls-key-file")
		}
	}
	if _, err := domain.ParseRole(s.MTLSRole); err != nil {
		bad("mtls-role", "%v", err)
	}
	for flagName, v := range map[string]string{"rate-read": s.RateRead, "rate-write": s.RateWrite} {
		if n, err := strconv.ParseFloat(v, 64); err != nil || n <= 0 || n > 1e6 {
			bad(flagName, "%q is not a number of requests per second above 0", v)
		}
	}
}

// fieldNames lists the JSON names a config file may use.
func fieldNames() string {
	var names []string
	for _, s := range settings {
		names = append(names, strings.ReplaceAll(s.flag, "-", "_"))
	}
	return fmt.Sprint(strings.Join(names, ", "))
}

// MTLSRoleValue returns MTLSRole parsed.
func (s Security) MTLSRoleValue() domain.Role {
	r, _ := domain.ParseRole(s.MTLSRole) // Validate checked it
	return r
}
