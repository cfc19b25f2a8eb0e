package certfiles

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"

	"github.com/pavlo-v-chernykh/keystore-go/v4"
	"software.sslmate.com/src/go-pkcs12"
)

// withPasswords tries open with each configured password and the empty one; a wrong
// password is reported only when none opens the store.
func withPasswords[T any](passwords []string, wrong func(error) bool, open func(string) (T, error)) (T, error) {
	var zero T
	var last error
	for _, pw := range append(passwords, "") {
		v, err := open(pw)
		if err == nil {
			return v, nil
		}
		if !wrong(err) {
			return zero, err
		}
		last = err
	}
	return zero, fmt.Errorf("%w (%v)", ErrWrongPassword, last)
}

// parsePKCS12 reads a key store (key, certificate, chain) or a trust store; the key is
// dropped.
func parsePKCS12(data []byte, passwords []string) ([]*x509.Certificate, error) {
	wrong := func(err error) bool { return errors.Is(err, pkcs12.ErrIncorrectPassword) }
	return withPasswords(passwords, wrong, func(pw string) ([]*x509.Certificate, error) {
		_, leaf, chain, err := pkcs12.DecodeChain(data, pw)
		if err == nil {
			return append([]*x509.Certificate{leaf}, chain...), nil
		}
		if wrong(err) {
			return nil, err
		}
		certs, trustErr := pkcs12.DecodeTrustStore(data, pw)
		if trustErr != nil {
			return nil, fmt.Errorf("PKCS#12: %w", errors.Join(err, trustErr))
		}
		return certs, nil
	})
}

// looksLikePFX says whether data starts as a PFX: SEQUENCE { INTEGER 3, ... }.
func looksLikePFX(data []byte) bool {
	var pfx struct {
		Version int
		Rest    asn1.RawValue `asn1:"optional"`
	}
	_, err := asn1.UnmarshalWithParams(data, &pfx, "")
	return (err == nil || isTrailing(err)) && pfx.Version == 3
}

func isTrailing(err error) bool {
	var se asn1.StructuralError
	return errors.As(err, &se)
}

// parseJKS reads the certificates of every entry of a Java KeyStore: trusted certificates and
// the chains of key entries, whose keys stay encrypted.
func parseJKS(data []byte, passwords []string) ([]*x509.Certificate, error) {
	if err := checkJKSLengths(data); err != nil {
		return nil, fmt.Errorf("JKS: %w", err)
	}
	wrong := func(err error) bool { return err.Error() == "got invalid digest" } // keystore-go's wrong password
	ks, err := withPasswords(passwords, wrong, func(pw string) (keystore.KeyStore, error) {
		ks := keystore.New()
		return ks, ks.Load(bytes.NewReader(data), []byte(pw))
	})
	if err != nil {
		return nil, fmt.Errorf("JKS: %w", err)
	}
	var certs []*x509.Certificate
	for _, alias := range ks.Aliases() {
		var raw []keystore.Certificate
		if ks.IsPrivateKeyEntry(alias) {
			if raw, err = ks.GetPrivateKeyEntryCertificateChain(alias); err != nil {
				return nil, fmt.Errorf("JKS entry %q: %w", alias, err)
			}
		} else if entry, err := ks.GetTrustedCertificateEntry(alias); err == nil {
			raw = []keystore.Certificate{entry.Certificate}
		}
		for _, r := range raw {
			c, err := x509.ParseCertificate(r.Content)
			if err != nil {
				return nil, fmt.Errorf("JKS entry %q: %w", alias, err)
			}
			certs = append(certs, c)
		}
	}
	return certs, nil
}
