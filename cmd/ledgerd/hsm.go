package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/cmd/ledgerd/internal/config"
)

// openHSM opens the configured PKCS#11 token or, without a module, provisions a SoftHSM token
// under <DataDir>/hsm and opens that. The PIN comes from LEDGER_HSM_PIN or the PIN file; for the
// provisioned SoftHSM without either, one is generated into <DataDir>/hsm/pin (mode 0600).
func openHSM(cfg config.Config, logger *slog.Logger) (*hsm.HSM, error) {
	if cfg.HSMModule != "" {
		pin, err := hsm.PINFromEnvOrFile("LEDGER_HSM_PIN", cfg.HSMPINFile)
		if err != nil {
			return nil, err
		}
		return openToken(hsm.Config{ModulePath: cfg.HSMModule, TokenLabel: cfg.HSMToken, PIN: pin}, logger)
	}
	dir := filepath.Join(cfg.DataDir, "hsm")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("SoftHSM folder: %w", err)
	}
	pinFile := cfg.HSMPINFile
	if pinFile == "" {
		pinFile = filepath.Join(dir, "pin")
	}
	if err := ensureSecretFile(pinFile); err != nil {
		return nil, err
	}
	soPINFile := filepath.Join(dir, "so-pin")
	if err := ensureSecretFile(soPINFile); err != nil {
		return nil, err
	}
	pin, err := hsm.PINFromEnvOrFile("LEDGER_HSM_PIN", pinFile)
	if err != nil {
		return nil, err
	}
	soPIN, err := hsm.PINFromEnvOrFile("", soPINFile)
	if err != nil {
		return nil, err
	}
	hcfg, err := hsm.ProvisionSoftHSM(dir, cfg.HSMToken, pin, soPIN)
	if err != nil {
		return nil, err
	}
	logger.Info("using the SoftHSM token provisioned in the data folder", "dir", dir, "token", cfg.HSMToken)
	return openToken(hcfg, logger)
}

// tokenRetry is how long openToken tries again while the token is not found.
const tokenRetry = 10 * time.Second

// openToken opens the token, trying again for up to tokenRetry while it is not found: a process
// initialising SoftHSM while another process writes to the same token directory can see no
// token for a moment (measured in docs/cluster.md: one in about 40 starts), which happens when
// several nodes share one SoftHSM token. A token that is really missing still fails, later.
func openToken(hcfg hsm.Config, logger *slog.Logger) (*hsm.HSM, error) {
	deadline := time.Now().Add(tokenRetry)
	for {
		h, err := hsm.Open(hcfg)
		if !errors.Is(err, hsm.ErrTokenNotFound) || time.Now().After(deadline) {
			return h, err
		}
		logger.Warn("the HSM token is not visible yet; trying again", "token", hcfg.TokenLabel, "error", err)
		time.Sleep(250 * time.Millisecond)
	}
}

// ensureSecretFile writes a random secret to path, readable by this user only, unless the file
// is already there.
func ensureSecretFile(path string) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("secret file %s: %w", path, err)
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	if err := os.WriteFile(path, []byte(hex.EncodeToString(b)+"\n"), 0o600); err != nil {
		return fmt.Errorf("write secret file %s: %w", path, err)
	}
	return nil
}
