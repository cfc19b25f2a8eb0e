package hsm_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/hsm"
)

// The tests here open HSMs of their own, so each runs in a child process (see inChild).

const (
	childPIN   = "user-pin-0815"
	childSOPIN = "so-pin-4242"
)

func TestOpenRejectsAWrongPIN(t *testing.T) {
	for _, tc := range []struct{ name, pin string }{
		{name: "wrong PIN", pin: "wrong-pin-1234"},
		{name: "too short PIN", pin: "12"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := inChild(t, func(t *testing.T) {
				cfg, err := hsm.ProvisionSoftHSM(t.TempDir(), "wrong-pin", childPIN, childSOPIN)
				require.NoError(t, err)
				bad := cfg
				bad.PIN = tc.pin
				h, err := hsm.Open(bad)
				require.ErrorIs(t, err, hsm.ErrWrongPIN)
				assert.Nil(t, h)
				assert.NotContains(t, err.Error(), tc.pin)
				assert.NotContains(t, err.Error(), childPIN)
				t.Logf("wrong PIN error: %v", err)

				h, err = hsm.Open(cfg)
				require.NoError(t, err, "the right PIN still works after a failed Open")
				require.NoError(t, h.Close())
			})
			assert.NotContains(t, out, childPIN)
			assert.NotContains(t, out, childSOPIN)
		})
	}
}

func TestOpenReportsAnUnknownToken(t *testing.T) {
	inChild(t, func(t *testing.T) {
		cfg, err := hsm.ProvisionSoftHSM(t.TempDir(), "present", childPIN, childSOPIN)
		require.NoError(t, err)
		absent := cfg
		absent.TokenLabel = "absent"
		_, err = hsm.Open(absent)
		require.ErrorIs(t, err, hsm.ErrTokenNotFound)
		assert.Contains(t, err.Error(), `"absent"`)

		h, err := hsm.Open(cfg)
		require.NoError(t, err, "the library still works after a failed Configure")
		require.NoError(t, h.Close())
	})
}

func TestLifecycle(t *testing.T) {
	inChild(t, func(t *testing.T) {
		ctx := context.Background()
		dir := t.TempDir()
		cfg, err := hsm.ProvisionSoftHSM(dir, "lifecycle", childPIN, childSOPIN)
		require.NoError(t, err)
		assert.Equal(t, filepath.Join(dir, "softhsm2.conf"), os.Getenv("SOFTHSM2_CONF"))
		assert.Equal(t, hsm.DefaultMaxSessions(), cfg.MaxSessions)

		h, err := hsm.Open(cfg)
		require.NoError(t, err)
		info, err := h.GenerateKey(ctx, "ca", hsm.ECDSAP256)
		require.NoError(t, err)
		signer, err := h.Signer("ca")
		require.NoError(t, err)

		_, err = hsm.Open(cfg)
		require.ErrorIs(t, err, hsm.ErrAlreadyOpen, "one PKCS#11 context per process")
		_, err = hsm.ProvisionSoftHSM(dir, "lifecycle", childPIN, childSOPIN)
		require.ErrorIs(t, err, hsm.ErrAlreadyOpen, "no provisioning under a live module")

		require.NoError(t, h.Close())
		require.NoError(t, h.Close(), "Close is idempotent")
		_, err = h.Signer("ca")
		require.ErrorIs(t, err, hsm.ErrClosed)
		_, err = h.GenerateKey(ctx, "other", hsm.ECDSAP256)
		require.ErrorIs(t, err, hsm.ErrClosed)
		digest := sha256.Sum256([]byte("after close"))
		_, err = signer.Sign(rand.Reader, digest[:], crypto.SHA256)
		require.Error(t, err, "a signer of a closed HSM fails, it does not panic")

		// A restart: provisioning again keeps the one token and its keys.
		again, err := hsm.ProvisionSoftHSM(dir, "lifecycle", childPIN, childSOPIN)
		require.NoError(t, err)
		tokens, err := os.ReadDir(filepath.Join(dir, "tokens"))
		require.NoError(t, err)
		assert.Len(t, tokens, 1, "no second token with the same label")

		h, err = hsm.Open(again)
		require.NoError(t, err)
		defer func() { require.NoError(t, h.Close()) }()
		found, err := h.Key("ca")
		require.NoError(t, err)
		assert.Equal(t, info.ID, found.ID)

		// Many goroutines miss the signer cache at once.
		h2, err := hsm.Open(again)
		require.ErrorIs(t, err, hsm.ErrAlreadyOpen)
		assert.Nil(t, h2)
		var wg sync.WaitGroup
		for range 16 {
			wg.Go(func() {
				s, err := h.Signer("ca")
				if !assert.NoError(t, err) {
					return
				}
				sig, err := s.Sign(rand.Reader, digest[:], crypto.SHA256)
				if assert.NoError(t, err) {
					verify(t, info.PublicKey, digest[:], sig)
				}
			})
		}
		wg.Wait()
	})
}
