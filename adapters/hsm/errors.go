package hsm

import (
	"errors"
	"fmt"
	"strings"

	"github.com/miekg/pkcs11"
)

// Errors returned by this package; match them with errors.Is. The returned errors wrap these
// with the module path, token or key label concerned, never with the PIN.
var (
	// ErrModuleNotFound means the PKCS#11 module file does not exist or cannot be loaded.
	ErrModuleNotFound = errors.New("hsm: PKCS#11 module not found")
	// ErrTokenNotFound means no token with the configured label is present in the module.
	ErrTokenNotFound = errors.New("hsm: token not found")
	// ErrWrongPIN means the token rejected the user PIN.
	ErrWrongPIN = errors.New("hsm: wrong PIN")
	// ErrPINLocked means the token locked the user PIN after too many wrong attempts.
	ErrPINLocked = errors.New("hsm: PIN locked")
	// ErrKeyNotFound means no key pair with the given label is in the token.
	ErrKeyNotFound = errors.New("hsm: key not found")
	// ErrKeyExists means a key pair with the given label is already in the token.
	ErrKeyExists = errors.New("hsm: key label already exists")
	// ErrUnsupportedAlgorithm means the key algorithm is unknown or cannot be used here.
	ErrUnsupportedAlgorithm = errors.New("hsm: unsupported key algorithm")
	// ErrAlreadyOpen means this process already has an open HSM (one PKCS#11 context per process).
	ErrAlreadyOpen = errors.New("hsm: a PKCS#11 context is already open in this process")
	// ErrClosed means the HSM was used after Close.
	ErrClosed = errors.New("hsm: closed")
	// ErrInvalidConfig means the Config is incomplete or inconsistent.
	ErrInvalidConfig = errors.New("hsm: invalid config")
	// ErrSoftHSMNotInstalled means softhsm2-util or the SoftHSM module is missing.
	ErrSoftHSMNotInstalled = errors.New("hsm: SoftHSMv2 is not installed (`go tool task deps` installs it)")
)

// crypto11's token lookup error is unexported; this is its message.
const crypto11TokenNotFound = "could not find PKCS#11 token"

// openError maps an error from crypto11.Configure to one of the typed errors above.
func openError(cfg Config, err error) error {
	var p11 pkcs11.Error
	if errors.As(err, &p11) {
		switch p11 {
		case pkcs11.CKR_PIN_INCORRECT, pkcs11.CKR_PIN_INVALID, pkcs11.CKR_PIN_LEN_RANGE:
			return fmt.Errorf("%w for token %q (%s)", ErrWrongPIN, cfg.TokenLabel, p11.Error())
		case pkcs11.CKR_PIN_LOCKED, pkcs11.CKR_PIN_EXPIRED:
			return fmt.Errorf("%w for token %q (%s)", ErrPINLocked, cfg.TokenLabel, p11.Error())
		case pkcs11.CKR_USER_PIN_NOT_INITIALIZED, pkcs11.CKR_TOKEN_NOT_PRESENT, pkcs11.CKR_TOKEN_NOT_RECOGNIZED:
			return fmt.Errorf("%w: token %q in module %q (%s)", ErrTokenNotFound, cfg.TokenLabel, cfg.ModulePath, p11.Error())
		}
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, crypto11TokenNotFound):
		return fmt.Errorf("%w: no token labelled %q in module %q", ErrTokenNotFound, cfg.TokenLabel, cfg.ModulePath)
	case strings.Contains(msg, "failed to open module"):
		return fmt.Errorf("%w: %q cannot be loaded as a PKCS#11 library", ErrModuleNotFound, cfg.ModulePath)
	}
	return &redactedError{
		msg:   fmt.Sprintf("hsm: open token %q in module %q: %s", cfg.TokenLabel, cfg.ModulePath, redact(msg, cfg.PIN)),
		cause: err,
	}
}

// redactedError carries a message scrubbed of the PIN while keeping the cause for errors.Is/As.
type redactedError struct {
	msg   string
	cause error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.cause }

// redact removes every occurrence of secret from s; a belt-and-braces guard for messages that
// come from outside this package.
func redact(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, redacted)
}
