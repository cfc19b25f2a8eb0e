package hsm

import (
	"context"
	"crypto"
	"errors"
	"fmt"

	"github.com/certledger/certledger/domain"
)

// KeyStore is the HSM as the command handlers use it: keys named by the domain's key types, and
// key generation that a retried command can run again.
type KeyStore struct{ *HSM }

// EnsureKey generates a key pair under label, or returns the public key of the pair a previous
// run of the same command already generated there.
func (k KeyStore) EnsureKey(ctx context.Context, label string, kt domain.KeyType) (crypto.PublicKey, error) {
	alg, err := ParseKeyAlgorithm(string(kt))
	if err != nil {
		return nil, err
	}
	return k.ensure(ctx, label, alg)
}

// EnsureTransportKey is EnsureKey for an RSA-2048 key that decrypts too (ForKeyTransport),
// such as a SCEP RA's.
func (k KeyStore) EnsureTransportKey(ctx context.Context, label string) (crypto.PublicKey, error) {
	return k.ensure(ctx, label, RSA2048, ForKeyTransport())
}

func (k KeyStore) ensure(ctx context.Context, label string, alg KeyAlgorithm, opts ...KeyOption) (crypto.PublicKey, error) {
	info, err := k.GenerateKey(ctx, label, alg, opts...)
	if errors.Is(err, ErrKeyExists) {
		if info, err = k.Key(label); err == nil && info.Algorithm != alg {
			return nil, fmt.Errorf("hsm: key %q is %s, not %s: %w", label, info.Algorithm, alg, ErrKeyExists)
		}
	}
	if err != nil {
		return nil, err
	}
	return info.PublicKey, nil
}
