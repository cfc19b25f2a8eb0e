package config_test

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/cmd/ledgerd/internal/config"
)

// env returns a lookupEnv function over a fixed map, so tests never see the real environment.
func env(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := vars[k]
		return v, ok
	}
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ledgerd.json")
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

func TestDefaults(t *testing.T) {
	cfg, err := config.Load(nil, env(nil))

	require.NoError(t, err)
	assert.Equal(t, config.Config{
		HTTPAddr:       "127.0.0.1:8080",
		DataDir:        "./data",
		EventStoreURL:  "",
		EventStoreAddr: "127.0.0.1:2113",
		DatabaseURL:    "postgres://127.0.0.1:5432/test?sslmode=disable",
		HSMToken:       "certledger",
		LogLevel:       "info",
		LogFormat:      "text",
		Security: config.Security{OIDCRolesClaim: "roles", OIDCTeamClaim: "team", OIDCClockSkew: "60s",
			MTLSRole: "DEVOPS", RateRead: "200", RateWrite: "50"},
		Audit: config.Audit{AuditCheckpointInterval: "1m", AuditCheckpointEvery: "10000"},
		ACME:  config.ACME{ACMEHTTP01Port: "80", ACMETLSALPN01Port: "443"}, Discovery: config.Discovery{RenewalInterval: "1m"},
		Cluster: config.Cluster{LeaseTTL: "6s"},
	}, cfg)
	assert.Equal(t, time.Minute, cfg.CheckpointInterval())
	assert.Equal(t, int64(10000), cfg.CheckpointEvery())
	assert.Equal(t, config.Default(), cfg)
}

func TestPrecedence(t *testing.T) {
	file := writeFile(t, `{"http_addr": "127.0.0.1:9001", "data_dir": "/file", "log_level": "debug"}`)

	tests := []struct {
		name string
		args []string
		env  map[string]string
		want func(*config.Config)
	}{
		{
			name: "file overrides defaults, keeps the rest",
			args: []string{"-config", file},
			want: func(c *config.Config) { c.HTTPAddr, c.DataDir, c.LogLevel = "127.0.0.1:9001", "/file", "debug" },
		},
		{
			name: "env overrides file",
			args: []string{"-config", file},
			env:  map[string]string{"LEDGER_HTTP_ADDR": "127.0.0.1:9002", "LEDGER_LOG_FORMAT": "json"},
			want: func(c *config.Config) {
				c.HTTPAddr, c.DataDir, c.LogLevel, c.LogFormat = "127.0.0.1:9002", "/file", "debug", "json"
			},
		},
		{
			name: "flags override env and file",
			args: []string{"-config", file, "-http-addr", "127.0.0.1:9003", "-data-dir=/flag"},
			env:  map[string]string{"LEDGER_HTTP_ADDR": "127.0.0.1:9002", "LEDGER_DATA_DIR": "/env"},
			want: func(c *config.Config) { c.HTTPAddr, c.DataDir, c.LogLevel = "127.0.0.1:9003", "/flag", "debug" },
		},
		{
			name: "empty env counts as unset",
			env:  map[string]string{"LEDGER_HTTP_ADDR": "", "DATABASE_URL": ""},
			want: func(*config.Config) {},
		},
		{
			name: "explicit empty flag clears a value from env",
			args: []string{"-eventstore-url="},
			env:  map[string]string{"LEDGER_EVENTSTORE_URL": "esdb://db:2113?tls=false"},
			want: func(*config.Config) {},
		},
		{
			name: "every setting has its env var",
			env: map[string]string{
				"LEDGER_HTTP_ADDR": ":8443", "LEDGER_DATA_DIR": "/var/lib/ledger",
				"LEDGER_EVENTSTORE_URL": "esdb://db:2113?tls=false", "LEDGER_EVENTSTORE_ADDR": "127.0.0.1:2114",
				"DATABASE_URL": "postgres://db/ledger", "LEDGER_LOG_LEVEL": "warn", "LEDGER_LOG_FORMAT": "json",
				"LEDGER_PUBLIC_URL": "https://pki.example.com", "LEDGER_HSM_MODULE": "/usr/lib/pkcs11/vendor.so",
				"LEDGER_HSM_TOKEN": "prod", "LEDGER_HSM_PIN_FILE": "/run/secrets/pin",
				"LEDGER_OIDC_ISSUER": "https://idp.example.com", "LEDGER_OIDC_AUDIENCE": "certledger",
				"LEDGER_OIDC_JWKS_URL": "https://idp.example.com/keys", "LEDGER_OIDC_ROLES_CLAIM": "groups",
				"LEDGER_OIDC_TEAM_CLAIM": "dept", "LEDGER_OIDC_CLOCK_SKEW": "30s", "LEDGER_TLS_ADDR": ":8444",
				"LEDGER_TLS_CERT_FILE": "/etc/ledger/tls.crt", "LEDGER_TLS_KEY_FILE": "/etc/ledger/tls.key",
				"LEDGER_MTLS_ROLE": "VIEWER", "LEDGER_RATE_READ": "10", "LEDGER_RATE_WRITE": "2.5",
				"LEDGER_AUDIT_CHECKPOINT_INTERVAL": "30s", "LEDGER_AUDIT_CHECKPOINT_EVERY": "500",
				"LEDGER_ACME_HTTP01_PORT": "8088", "LEDGER_ACME_TLSALPN01_PORT": "8443", "LEDGER_ACME_DNS_RESOLVER": "10.0.0.53:53",
				"LEDGER_ACME_EAB_SECRET_FILE": "/run/secrets/eab", "LEDGER_NODE_ID": "node-a", "LEDGER_LEASE_TTL": "4s",
			},
			want: func(c *config.Config) {
				*c = config.Config{
					HTTPAddr: ":8443", DataDir: "/var/lib/ledger",
					EventStoreURL: "esdb://db:2113?tls=false", EventStoreAddr: "127.0.0.1:2114",
					DatabaseURL: "postgres://db/ledger", LogLevel: "warn", LogFormat: "json",
					PublicURL: "https://pki.example.com", HSMModule: "/usr/lib/pkcs11/vendor.so",
					HSMToken: "prod", HSMPINFile: "/run/secrets/pin",
					Security: config.Security{OIDCIssuer: "https://idp.example.com", OIDCAudience: "certledger",
						OIDCJWKSURL: "https://idp.example.com/keys", OIDCRolesClaim: "groups", OIDCTeamClaim: "dept",
						OIDCClockSkew: "30s", TLSAddr: ":8444", TLSCertFile: "/etc/ledger/tls.crt", TLSKeyFile: "/etc/ledger/tls.key",
						MTLSRole: "VIEWER", RateRead: "10", RateWrite: "2.5"},
					Audit: config.Audit{AuditCheckpointInterval: "30s", AuditCheckpointEvery: "500"},
					ACME: config.ACME{ACMEHTTP01Port: "8088", ACMETLSALPN01Port: "8443", ACMEDNSResolver: "10.0.0.53:53",
						ACMEEABSecretFile: "/run/secrets/eab"}, Discovery: config.Discovery{RenewalInterval: "1m"},
					Cluster: config.Cluster{NodeID: "node-a", LeaseTTL: "4s"},
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := config.Default()
			tt.want(&want)

			got, err := config.Load(tt.args, env(tt.env))

			require.NoError(t, err)
			assert.Equal(t, want, got)
		})
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr []string
	}{
		{"unknown flag", []string{"-nope"}, nil, []string{"flag provided but not defined: -nope"}},
		{"positional argument", []string{"serve"}, nil, []string{`unexpected argument "serve"`}},
		{"missing config file", []string{"-config", "/does/not/exist.json"}, nil, []string{"config file", "no such file"}},
		{"unknown field in file", []string{"-config", writeFile(t, `{"http_adr": ":1"}`)}, nil, []string{`unknown field "http_adr"`}},
		{"trailing data in file", []string{"-config", writeFile(t, `{} {}`)}, nil, []string{"unexpected data after the JSON object"}},
		{"not JSON", []string{"-config", writeFile(t, `http_addr = 1`)}, nil, []string{"config file", "invalid character"}},
		{"bad HTTP address", nil, map[string]string{"LEDGER_HTTP_ADDR": "localhost"}, []string{"LEDGER_HTTP_ADDR / -http-addr", "not host:port"}},
		{"bad port", []string{"-http-addr", "127.0.0.1:99999"}, nil, []string{"-http-addr", "no valid port"}},
		{"empty data dir", []string{"-data-dir", " "}, nil, []string{"LEDGER_DATA_DIR / -data-dir: must not be empty"}},
		{"bad event store address", []string{"-eventstore-addr", "2113"}, nil, []string{"-eventstore-addr"}},
		{"bad event store URL", []string{"-eventstore-url", "http://db:2113"}, nil, []string{"LEDGER_EVENTSTORE_URL", "not an EventStoreDB connection string"}},
		{"empty database URL", []string{"-database-url", ""}, nil, []string{"DATABASE_URL / -database-url: must not be empty"}},
		{"bad database URL", []string{"-database-url", "postgres://db:notaport/ledger"}, nil, []string{"DATABASE_URL", "not a Postgres connection string"}},
		{"bad log level", nil, map[string]string{"LEDGER_LOG_LEVEL": "verbose"}, []string{`"verbose" is not one of debug, info, warn, error`}},
		{"bad log format", []string{"-log-format", "xml"}, nil, []string{`"xml" is neither text nor json`}},
		{"bad public url", []string{"-public-url", "ftp://pki"}, nil, []string{`"ftp://pki" is not an http or https URL`}},
		{"empty hsm token", []string{"-hsm-token", " "}, nil, []string{"LEDGER_HSM_TOKEN / -hsm-token: must not be empty"}},
		{"OIDC issuer without audience", []string{"-oidc-issuer", "https://idp.example.com"}, nil, []string{"-oidc-audience: must be set"}},
		{"bad OIDC issuer", []string{"-oidc-issuer", "idp", "-oidc-audience", "a"}, nil, []string{`"idp" is not an http or https URL`}},
		{"bad clock skew", []string{"-oidc-clock-skew", "1h"}, nil, []string{"-oidc-clock-skew", "from 0 to 10m"}},
		{"TLS without certificate", []string{"-tls-addr", ":8443"}, nil, []string{"needs -tls-cert-file and -tls-key-file"}},
		{"bad mTLS role", []string{"-mtls-role", "ROOT"}, nil, []string{"-mtls-role", "unknown role"}},
		{"bad rate", []string{"-rate-write", "0"}, nil, []string{"-rate-write", "above 0"}},
		{"lease TTL above 10 s", []string{"-lease-ttl", "30s"}, nil, []string{"-lease-ttl", "1s to 10s"}},
		{"checkpoint interval too short", []string{"-audit-checkpoint-interval", "10ms"}, nil,
			[]string{"LEDGER_AUDIT_CHECKPOINT_INTERVAL / -audit-checkpoint-interval", "from 1s to 24h"}},
		{"checkpoint interval not a duration", nil, map[string]string{"LEDGER_AUDIT_CHECKPOINT_INTERVAL": "often"},
			[]string{"-audit-checkpoint-interval", `"often"`}},
		{"checkpoint every zero", []string{"-audit-checkpoint-every", "0"}, nil,
			[]string{"LEDGER_AUDIT_CHECKPOINT_EVERY / -audit-checkpoint-every", "from 1 to"}},
		{"checkpoint every in the file", []string{"-config", writeFile(t, `{"audit_checkpoint_every": "many"}`)}, nil,
			[]string{"-audit-checkpoint-every", `"many"`}},
		{"OIDC in the config file", []string{"-config", writeFile(t, `{"oidc_issuer": "https://idp.example.com"}`)}, nil, []string{"-oidc-audience: must be set"}},
		{
			name:    "all errors at once",
			args:    []string{"-log-format", "xml", "-log-level", "loud", "-http-addr", "x"},
			wantErr: []string{"-log-format", "-log-level", "-http-addr"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.Load(tt.args, env(tt.env))

			require.Error(t, err)
			for _, want := range tt.wantErr {
				assert.Contains(t, err.Error(), want)
			}
		})
	}
}

func TestEventStoreAddrIsIgnoredWithAnExternalStore(t *testing.T) {
	_, err := config.Load([]string{"-eventstore-url", "esdb://db:2113?tls=false", "-eventstore-addr", "unused"}, env(nil))

	assert.NoError(t, err)
}

func TestHelpFlag(t *testing.T) {
	_, err := config.Load([]string{"-h"}, env(nil))

	assert.True(t, errors.Is(err, flag.ErrHelp))
}

func TestLogLevelIsCaseInsensitive(t *testing.T) {
	cfg, err := config.Load([]string{"-log-level", "DEBUG"}, env(nil))
	require.NoError(t, err)

	level, err := cfg.SlogLevel()

	require.NoError(t, err)
	assert.Equal(t, "DEBUG", level.String())
}
