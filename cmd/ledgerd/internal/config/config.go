// Package config is ledgerd's configuration: one typed struct, its defaults, and how a config
// file, environment variables and command-line flags override them.
//
// Invariants:
//   - Precedence is defaults < config file (-config, JSON) < environment < flags; an environment
//     variable set to the empty string counts as unset, a flag given explicitly always counts.
//   - The config file may only name known fields; anything else is an error, never ignored.
//   - Load returns a Config only after Validate accepted it.
package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// Config is everything ledgerd can be told at start-up.
type Config struct {
	// HTTPAddr is the host:port the HTTP API listens on.
	HTTPAddr string `json:"http_addr"`
	// DataDir holds ledgerd's local state; the embedded event store lives in DataDir/eventstore.
	DataDir string `json:"data_dir"`
	// EventStoreURL is an EventStoreDB connection string (esdb://…). Empty means: run the
	// embedded event store and connect to it.
	EventStoreURL string `json:"eventstore_url"`
	// EventStoreAddr is the host:port the embedded event store listens on; it is used only when
	// EventStoreURL is empty.
	EventStoreAddr string `json:"eventstore_addr"`
	// DatabaseURL is the Postgres connection string for the read models.
	DatabaseURL string `json:"database_url"`
	// LogLevel is the minimum level logged: debug, info, warn or error.
	LogLevel string `json:"log_level"`
	// LogFormat is the log encoding: text (logfmt-like) or json.
	LogFormat string `json:"log_format"`
	// PublicURL is the base URL clients reach the ledger at; it goes into issued certificates
	// (CRL distribution points, OCSP). Empty means http://<HTTPAddr>.
	PublicURL string `json:"public_url"`
	// HSMModule is the PKCS#11 module. Empty means: provision a SoftHSM token under
	// DataDir/hsm and use it.
	HSMModule string `json:"hsm_module"`
	// HSMToken is the label of the HSM token holding the ledger's keys.
	HSMToken string `json:"hsm_token"`
	// HSMPINFile is a file holding the token's PIN; the environment variable LEDGER_HSM_PIN takes
	// precedence. With the provisioned SoftHSM and neither set, a PIN is generated into
	// DataDir/hsm/pin (mode 0600).
	HSMPINFile string `json:"hsm_pin_file"`

	Security
	Audit
	SIEM
	Reports
	ACME
	EST
	SCEP
	Discovery
	Cluster
}

// PublicBase returns the base URL issued certificates point to.
func (c Config) PublicBase() string {
	if c.PublicURL != "" {
		return strings.TrimRight(c.PublicURL, "/")
	}
	return "http://" + c.HTTPAddr
}

// setting ties a Config field to its environment variable, flag and default.
type setting struct {
	env, flag, def, usage string
	field                 func(*Config) *string
}

// settings lists every setting once; Default, Load and Usage are all driven by it.
var settings = slices.Concat(coreSettings, securitySettings, auditSettings, siemSettings, reportSettings, acmeSettings, estSettings, scepSettings,
	discoverySettings, clusterSettings)

var coreSettings = []setting{
	{"LEDGER_HTTP_ADDR", "http-addr", "127.0.0.1:8080", "host:port of the HTTP API",
		func(c *Config) *string { return &c.HTTPAddr }},
	{"LEDGER_DATA_DIR", "data-dir", "./data", "folder for local state (the embedded store uses <data-dir>/eventstore)",
		func(c *Config) *string { return &c.DataDir }},
	{"LEDGER_EVENTSTORE_URL", "eventstore-url", "", "EventStoreDB connection string; empty runs the embedded store",
		func(c *Config) *string { return &c.EventStoreURL }},
	{"LEDGER_EVENTSTORE_ADDR", "eventstore-addr", "127.0.0.1:2113", "host:port of the embedded event store",
		func(c *Config) *string { return &c.EventStoreAddr }},
	{"DATABASE_URL", "database-url", "postgres://127.0.0.1:5432/test?sslmode=disable", "Postgres connection string for the read models",
		func(c *Config) *string { return &c.DatabaseURL }},
	{"LEDGER_LOG_LEVEL", "log-level", "info", "debug, info, warn or error",
		func(c *Config) *string { return &c.LogLevel }},
	{"LEDGER_LOG_FORMAT", "log-format", "text", "text or json",
		func(c *Config) *string { return &c.LogFormat }},
	{"LEDGER_PUBLIC_URL", "public-url", "", "base URL put into issued certificates (CRL, OCSP); empty: http://<http-addr>",
		func(c *Config) *string { return &c.PublicURL }},
	{"LEDGER_HSM_MODULE", "hsm-module", "", "PKCS#11 module; empty provisions SoftHSM under <data-dir>/hsm",
		func(c *Config) *string { return &c.HSMModule }},
	{"LEDGER_HSM_TOKEN", "hsm-token", "certledger", "label of the HSM token",
		func(c *Config) *string { return &c.HSMToken }},
	{"LEDGER_HSM_PIN_FILE", "hsm-pin-file", "", "file holding the token PIN (LEDGER_HSM_PIN takes precedence)",
		func(c *Config) *string { return &c.HSMPINFile }},
}

// Default returns the configuration used when nothing overrides it.
func Default() Config {
	var c Config
	for _, s := range settings {
		*s.field(&c) = s.def
	}
	return c
}

// Load builds the configuration from args (the command line without the program name) and the
// environment seen through lookupEnv, usually os.LookupEnv. It returns an error wrapping
// flag.ErrHelp when -h or -help was given.
func Load(args []string, lookupEnv func(string) (string, bool)) (Config, error) {
	fs := flag.NewFlagSet("ledgerd", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	configPath := fs.String("config", "", "path of a JSON config file")
	flagValues := make(map[string]*string, len(settings))
	for _, s := range settings {
		flagValues[s.flag] = fs.String(s.flag, s.def, s.usage)
	}
	if err := fs.Parse(args); err != nil {
		return Config{}, fmt.Errorf("command line: %w", err)
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("command line: unexpected argument %q", fs.Arg(0))
	}

	cfg := Default()
	if *configPath != "" {
		if err := readFile(*configPath, &cfg); err != nil {
			return Config{}, err
		}
	}
	for _, s := range settings {
		if v, ok := lookupEnv(s.env); ok && v != "" {
			*s.field(&cfg) = v
		}
	}
	fs.Visit(func(f *flag.Flag) {
		for _, s := range settings {
			if s.flag == f.Name {
				*s.field(&cfg) = *flagValues[f.Name]
			}
		}
	})

	if err := cfg.Validate(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// readFile overlays the JSON object in path onto cfg, rejecting unknown fields and trailing data.
func readFile(path string, cfg *Config) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("config file: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(cfg); err != nil {
		return fmt.Errorf("config file %s: %w", path, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("config file %s: unexpected data after the JSON object", path)
	}
	return nil
}

// Usage writes the flags, their environment variables and defaults to w.
func Usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: ledgerd [flags]        the API node (with the embedded store unless -eventstore-url)")
	fmt.Fprintln(w, "       ledgerd store [flags]  only the embedded event store, on -eventstore-addr")
	fmt.Fprintln(w, "Precedence: defaults < -config file (JSON) < environment < flags.")
	fmt.Fprintf(w, "  -%-16s %s\n", "config", "path of a JSON config file")
	fmt.Fprintf(w, "  %-17s fields: %s\n", "", fieldNames())
	for _, s := range settings {
		fmt.Fprintf(w, "  -%-16s %s\n  %-17s env %s, default %q\n", s.flag, s.usage, "", s.env, s.def)
	}
}
