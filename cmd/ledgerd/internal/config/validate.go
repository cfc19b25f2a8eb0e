package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Validate reports every invalid setting at once, naming its environment variable and flag.
func (c Config) Validate() error {
	var problems []string
	bad := func(flagName, format string, args ...any) {
		for _, s := range settings {
			if s.flag == flagName {
				problems = append(problems, fmt.Sprintf("%s / -%s: %s", s.env, s.flag, fmt.Sprintf(format, args...)))
			}
		}
	}

	if err := checkHostPort(c.HTTPAddr); err != nil {
		bad("http-addr", "%v", err)
	}
	if strings.TrimSpace(c.DataDir) == "" {
		bad("data-dir", "must not be empty")
	}
	if c.EventStoreURL == "" {
		if err := checkHostPort(c.EventStoreAddr); err != nil {
			bad("eventstore-addr", "%v", err)
		}
	} else if _, err := esdb.ParseConnectionString(c.EventStoreURL); err != nil {
		bad("eventstore-url", "not an EventStoreDB connection string: %v", err)
	}
	if strings.TrimSpace(c.DatabaseURL) == "" {
		bad("database-url", "must not be empty")
	} else if _, err := pgxpool.ParseConfig(c.DatabaseURL); err != nil {
		bad("database-url", "not a Postgres connection string: %v", err)
	}
	if _, err := c.SlogLevel(); err != nil {
		bad("log-level", "%v", err)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("log-format", "%q is neither text nor json", c.LogFormat)
	}

	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("public-url", "%q is not an http or https URL", c.PublicURL)
		}
	}
	if strings.TrimSpace(c.HSMToken) == "" {
		bad("hsm-token", "must not be empty")
	}

	c.Security.validate(bad)
	c.Audit.validate(bad)
	c.SIEM.validate(bad)
	c.Reports.validate(bad)
	c.ACME.validate(bad)
	c.EST.validate(bad)
	c.SCEP.validate(bad)
	c.Discovery.validate(bad)
	c.Cluster.validate(bad)

	if len(problems) > 0 {
		return errors.New("invalid configuration:\n  " + strings.Join(problems, "\n  "))
	}
	return nil
}

// SlogLevel returns LogLevel as a slog level; the name is not case-sensitive.
func (c Config) SlogLevel() (slog.Level, error) {
	switch strings.ToLower(c.LogLevel) {
	case "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "warn":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("%q is not one of debug, info, warn, error", c.LogLevel)
}

// checkHostPort accepts "host:port" and ":port" with a numeric port from 0 to 65535.
func checkHostPort(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%q is not host:port: %w", addr, err)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("%q has no valid port number", addr)
	}
	return nil
}
