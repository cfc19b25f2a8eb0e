package main

import (
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"github.com/certledger/certledger/cmd/ledgerd/internal/config"
)

// newLogger returns the process logger described by cfg, writing to w.
func newLogger(cfg config.Config, w io.Writer) (*slog.Logger, error) {
	level, err := cfg.SlogLevel()
	if err != nil {
		return nil, err
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return slog.New(slog.NewTextHandler(w, opts)), nil
}

// esdbLogging sends the EventStoreDB client's printf-style logs to logger.
func esdbLogging(logger *slog.Logger) esdb.LoggingFunc {
	return func(level esdb.LogLevel, format string, args ...any) {
		// Client v4.2.0 sometimes passes its own argument slice as a single argument.
		if len(args) == 1 {
			if inner, ok := args[0].([]any); ok {
				args = inner
			}
		}
		msg := fmt.Sprintf(format, args...)
		switch {
		case level == esdb.LogDebug, level == esdb.LogInfo: // Its info logs are connection chatter.
			logger.Debug(msg)
		case strings.Contains(msg, "context canceled"): // a subscription we ended ourselves
			logger.Debug(msg)
			logger.Debug(msg)
		case level == esdb.LogWarn:
			logger.Warn(msg)
		default:
			logger.Error(msg)
		}
	}
}

// redactURL hides the password of a URL-shaped connection string, so that it can be logged.
// Keyword/value connection strings are not logged at all.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || strings.Contains(s, " ") {
		return "(set)"
	}
	return u.Redacted()
}
