// Package domain will hold the ledger's aggregates (certificate authorities, certificates, signing
// keys) and their policies: pure decisions on a stream's history, with no I/O, importing nothing of
// the ledger's other packages. The PKI core issue adds the first aggregates.
package domain
