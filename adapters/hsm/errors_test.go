package hsm_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/adapters/hsm/hsmtest"
)

func TestUnknownLabelIsErrKeyNotFound(t *testing.T) {
	h := hsmtest.Open(t)
	label := hsmtest.Label(t, "never-generated")
	for _, tc := range []struct {
		name string
		call func() error
	}{
		{name: "Signer", call: func() error { _, err := h.Signer(label); return err }},
		{name: "Key", call: func() error { _, err := h.Key(label); return err }},
		{name: "KeyProtection", call: func() error { _, err := h.KeyProtection(label); return err }},
		{name: "Signer with empty label", call: func() error { _, err := h.Signer(""); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			require.ErrorIs(t, err, hsm.ErrKeyNotFound)
		})
	}
}

func TestDuplicateLabelIsErrKeyExists(t *testing.T) {
	h := hsmtest.Open(t)
	ctx := context.Background()
	label := hsmtest.Label(t, "dup")
	first, err := h.GenerateKey(ctx, label, hsm.ECDSAP256)
	require.NoError(t, err)

	_, err = h.GenerateKey(ctx, label, hsm.RSA2048)
	require.ErrorIs(t, err, hsm.ErrKeyExists)
	assert.Contains(t, err.Error(), label)

	again, err := h.Key(label)
	require.NoError(t, err)
	assert.Equal(t, first.ID, again.ID, "the first key is untouched")
}

func TestConcurrentGenerateWithOneLabelHasOneWinner(t *testing.T) {
	h := hsmtest.Open(t)
	label := hsmtest.Label(t, "race")
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { _, errs[i] = h.GenerateKey(context.Background(), label, hsm.ECDSAP256) })
	}
	wg.Wait()
	var won, lost int
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case errors.Is(err, hsm.ErrKeyExists):
			lost++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	assert.Equal(t, 1, won)
	assert.Equal(t, n-1, lost)
}

func TestGenerateKeyRejectsBadInput(t *testing.T) {
	h := hsmtest.Open(t)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name  string
		ctx   context.Context
		label string
		alg   hsm.KeyAlgorithm
		want  error
	}{
		{name: "unknown algorithm", ctx: context.Background(), label: hsmtest.Label(t, "x"), alg: "dsa-1024", want: hsm.ErrUnsupportedAlgorithm},
		{name: "cancelled context", ctx: cancelled, label: hsmtest.Label(t, "x"), alg: hsm.ECDSAP256, want: context.Canceled},
		{name: "empty label", ctx: context.Background(), label: "", alg: hsm.ECDSAP256},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := h.GenerateKey(tc.ctx, tc.label, tc.alg)
			require.Error(t, err)
			if tc.want != nil {
				require.ErrorIs(t, err, tc.want)
			}
		})
	}
}

func TestOpenChecksTheConfigBeforeLoadingTheModule(t *testing.T) {
	// These fail before the PKCS#11 library is touched, so they run in this process even though
	// the shared HSM is open.
	missing := filepath.Join(t.TempDir(), "no-such-pkcs11.so")
	for _, tc := range []struct {
		name     string
		cfg      hsm.Config
		want     error
		contains string
	}{
		{name: "missing module", cfg: hsm.Config{ModulePath: missing, TokenLabel: "t", PIN: "1234"},
			want: hsm.ErrModuleNotFound, contains: missing},
		{name: "module is a directory", cfg: hsm.Config{ModulePath: t.TempDir(), TokenLabel: "t", PIN: "1234"},
			want: hsm.ErrModuleNotFound},
		{name: "no module", cfg: hsm.Config{TokenLabel: "t", PIN: "1234"}, want: hsm.ErrInvalidConfig},
		{name: "no token label", cfg: hsm.Config{ModulePath: hsm.SoftHSMModule, PIN: "1234"}, want: hsm.ErrInvalidConfig},
		{name: "no PIN", cfg: hsm.Config{ModulePath: hsm.SoftHSMModule, TokenLabel: "t"}, want: hsm.ErrInvalidConfig},
		{name: "one session", cfg: hsm.Config{ModulePath: hsm.SoftHSMModule, TokenLabel: "t", PIN: "1234", MaxSessions: 1},
			want: hsm.ErrInvalidConfig},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := hsm.Open(tc.cfg)
			require.ErrorIs(t, err, tc.want)
			assert.Nil(t, h)
			assert.Contains(t, err.Error(), tc.contains)
			assert.NotContains(t, err.Error(), "1234")
		})
	}
}
