package main

import (
	"testing"

	"github.com/certledger/certledger/tests/clienttest"
)

// newSigningLedger starts a whole ledger with opts and creates, as ADMIN, the root CA named cn
// that certifies the test's signing keys; it returns the ledger and the CA's id.
func newSigningLedger(t *testing.T, opts clienttest.Options, cn string) (*clienttest.Ledger, string) {
	t.Helper()
	l := clienttest.StartWith(t, opts)
	ca := jsonOf(t, l, clienttest.AdminToken, "ca", "create", "--name", "Root", "--cn", cn, "--key-algorithm", "ecdsa-p256")
	return l, ca["id"].(string)
}
