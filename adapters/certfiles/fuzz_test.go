package certfiles_test

import (
	"testing"

	"github.com/certledger/certledger/adapters/certfiles"
)

// FuzzParse feeds Parse arbitrary bytes: it may refuse them, never panic or hang. The seeds
// start every format Parse recognises.
func FuzzParse(f *testing.F) {
	for _, seed := range [][]byte{
		{0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0xff, 0xff, 0xff, 0xff},
		[]byte("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"),
		[]byte("-----BEGIN PKCS7-----\nMAA=\n-----END PKCS7-----\n"),
		{0x30, 0x03, 0x02, 0x01, 0x03},
		{0x30, 0x80, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02},
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, certs, err := certfiles.Parse(data, []string{"changeit"})
		if err == nil && len(certs) == 0 {
			t.Fatalf("no error and no certificates for %x", data)
		}
	})
}
