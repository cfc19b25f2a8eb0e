package hsm

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"strings"
)

// redacted replaces the PIN wherever a Config or a message is shown.
const redacted = "[REDACTED]"

// Config says which PKCS#11 module and token to use. The PIN is a secret: Config never shows
// it when formatted (fmt, slog, encoding/json), and it is not read from JSON either; load it
// with PINFromEnvOrFile.
type Config struct {
	// ModulePath is the PKCS#11 library, e.g. /usr/lib/softhsm/libsofthsm2.so.
	ModulePath string `json:"module_path"`
	// TokenLabel selects the token (CKA_LABEL of the token, as set at init).
	TokenLabel string `json:"token_label"`
	// PIN is the user PIN of the token.
	PIN string `json:"-"`
	// MaxSessions bounds crypto11's session pool (one of them is held for the login).
	// Zero means DefaultMaxSessions(); 1 is invalid.
	MaxSessions int `json:"max_sessions,omitempty"`
}

// DefaultMaxSessions returns runtime.NumCPU()+1 (at least 2): one session per core for
// signing plus the one crypto11 keeps logged in.
func DefaultMaxSessions() int {
	return max(runtime.NumCPU()+1, 2)
}

// String shows the config with the PIN redacted.
func (c Config) String() string {
	return fmt.Sprintf("hsm.Config{ModulePath: %q, TokenLabel: %q, PIN: %s, MaxSessions: %d}",
		c.ModulePath, c.TokenLabel, c.pinShown(), c.MaxSessions)
}

// Format makes every fmt verb (%v, %+v, %#v, %s, %d, …) print String, so no verb can print the
// PIN field raw.
func (c Config) Format(f fmt.State, _ rune) {
	_, _ = io.WriteString(f, c.String())
}

// LogValue implements slog.LogValuer with the PIN redacted.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("module_path", c.ModulePath),
		slog.String("token_label", c.TokenLabel),
		slog.String("pin", c.pinShown()),
		slog.Int("max_sessions", c.MaxSessions),
	)
}

func (c Config) pinShown() string {
	if c.PIN == "" {
		return "(none)"
	}
	return redacted
}

// withDefaults returns c with MaxSessions filled in.
func (c Config) withDefaults() Config {
	if c.MaxSessions == 0 {
		c.MaxSessions = DefaultMaxSessions()
	}
	return c
}

// validate checks everything that can be checked before the PKCS#11 library is loaded.
func (c Config) validate() error {
	switch {
	case c.ModulePath == "":
		return fmt.Errorf("%w: no PKCS#11 module path", ErrInvalidConfig)
	case c.TokenLabel == "":
		return fmt.Errorf("%w: no token label", ErrInvalidConfig)
	case c.PIN == "":
		return fmt.Errorf("%w: no PIN for token %q", ErrInvalidConfig, c.TokenLabel)
	case c.MaxSessions < 2:
		return fmt.Errorf("%w: MaxSessions is %d, it must be at least 2", ErrInvalidConfig, c.MaxSessions)
	}
	info, err := os.Stat(c.ModulePath)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("%w: %q does not exist", ErrModuleNotFound, c.ModulePath)
	case err != nil:
		return fmt.Errorf("%w: %q: %v", ErrModuleNotFound, c.ModulePath, err)
	case !info.Mode().IsRegular():
		return fmt.Errorf("%w: %q is not a regular file", ErrModuleNotFound, c.ModulePath)
	}
	return nil
}

// PINFromEnvOrFile returns the PIN from the environment variable envVar if it is set and not
// empty, else from file (one line; a trailing newline is dropped). Errors name the variable and
// the file, never their content. Keep the file readable by the service user only.
func PINFromEnvOrFile(envVar, file string) (string, error) {
	if envVar != "" {
		if pin := os.Getenv(envVar); pin != "" {
			return pin, nil
		}
	}
	if file == "" {
		return "", fmt.Errorf("%w: no PIN: environment variable %q is empty and no PIN file is set", ErrInvalidConfig, envVar)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		var pathErr *os.PathError
		if errors.As(err, &pathErr) {
			err = pathErr.Err // the path is named below; the content is never part of it
		}
		return "", fmt.Errorf("%w: read PIN file %q: %v", ErrInvalidConfig, file, err)
	}
	pin := strings.TrimRight(string(b), "\r\n")
	if pin == "" {
		return "", fmt.Errorf("%w: PIN file %q is empty", ErrInvalidConfig, file)
	}
	if strings.ContainsAny(pin, "\r\n") {
		return "", fmt.Errorf("%w: PIN file %q has more than one line", ErrInvalidConfig, file)
	}
	return pin, nil
}
