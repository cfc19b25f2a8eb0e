package hsm

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/ThalesGroup/crypto11"
)

// open is the process's one live HSM; guarded by openMu. Open, Close and ProvisionSoftHSM
// take openMu, so they never overlap with one another.
var (
	openMu sync.Mutex
	open   *HSM
)

// HSM is an open PKCS#11 token. All its methods are safe for concurrent use. Only one HSM can
// be open per process at a time; share it rather than opening another.
type HSM struct {
	p11   *crypto11.Context
	token string

	genMu   sync.Mutex // serialises the label check and the generation in GenerateKey
	signers sync.Map   // label -> crypto11.Signer, filled by GenerateKey and Signer

	signatures sync.Map // label -> *atomic.Int64, the signatures made through Signer

	closeMu sync.RWMutex // held for reading by token operations, for writing by Close
	closed  atomic.Bool  // set under closeMu; read without it on the cached-signer path
}

// Open loads the PKCS#11 module, finds the token by label and logs in with the PIN.
//
// The config is checked before the library is touched: a missing module file is
// ErrModuleNotFound naming the path. A token that is not there is ErrTokenNotFound, a rejected
// PIN ErrWrongPIN. While another HSM is open in this process Open returns ErrAlreadyOpen.
func Open(cfg Config) (*HSM, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}

	openMu.Lock()
	defer openMu.Unlock()
	if open != nil {
		return nil, fmt.Errorf("%w (token %q); share that *hsm.HSM or Close it first", ErrAlreadyOpen, open.token)
	}

	p11, err := crypto11.Configure(&crypto11.Config{
		Path:        cfg.ModulePath,
		TokenLabel:  cfg.TokenLabel,
		Pin:         cfg.PIN,
		MaxSessions: cfg.MaxSessions,
	})
	if err != nil {
		return nil, openError(cfg, err)
	}
	h := &HSM{p11: p11, token: cfg.TokenLabel}
	open = h
	return h, nil
}

// Close logs out, closes the sessions and unloads the module. It waits for operations in
// flight, and is idempotent: closing twice returns nil. Signers handed out before stop working.
func (h *HSM) Close() error {
	openMu.Lock()
	defer openMu.Unlock()
	h.closeMu.Lock()
	defer h.closeMu.Unlock()
	if h.closed.Load() {
		return nil
	}
	h.closed.Store(true)
	h.signers.Clear()
	if open == h {
		open = nil
	}
	if err := h.p11.Close(); err != nil {
		return fmt.Errorf("hsm: close token %q: %w", h.token, err)
	}
	return nil
}

// TokenLabel returns the label of the open token.
func (h *HSM) TokenLabel() string { return h.token }

// use runs f unless the HSM is closed, keeping Close out until f returns.
func (h *HSM) use(f func() error) error {
	h.closeMu.RLock()
	defer h.closeMu.RUnlock()
	if h.closed.Load() {
		return ErrClosed
	}
	return f()
}
