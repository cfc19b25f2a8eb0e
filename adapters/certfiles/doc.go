// Package certfiles finds certificates in files under a host's allowed roots: PEM (any number
// of CERTIFICATE and PKCS7 blocks), DER certificates, PKCS#7 bundles (.p7b/.p7c, DER or
// PEM), PKCS#12 files (.p12/.pfx, key stores and trust stores, tried with each configured
// password) and Java KeyStores (JKS). It is the file half of discovery, run by ledger-agent;
// what a certificate means is decided by the ledger.
//
// Invariants:
//   - Nothing is read outside the roots: the walk does not descend into symlinked
//     directories, and a symlinked file is read only when its target, with every link
//     resolved, is inside a root (Within); one that points out is a Refused finding.
//   - Private keys are never returned or kept: where a format makes the parser decrypt one
//     (a PKCS#12 key bag), the key is dropped at once; JKS key entries are not decrypted at
//     all, only their certificate chains read.
//   - A file is one Found with its certificates, or with an Err saying why not (too large,
//     wrong password, not a certificate format, malformed); one bad file never stops a walk.
//     Files that hold no certificate and are not named like a certificate file (.crt, .p12,
//     ...) are skipped silently, as are PEM files holding only keys or requests, so a walk
//     over /etc reports certificates, not every config file.
//   - Files larger than MaxFileSize are not read.
//
// Libraries: software.sslmate.com/src/go-pkcs12 (maintained, reads the modern AES/PBES2
// PKCS#12 files OpenSSL 3 and Java write), github.com/pavlo-v-chernykh/keystore-go/v4 (JKS),
// github.com/smallstep/pkcs7 (the maintained fork of mozilla's pkcs7). None is hand-written
// ASN.1.
package certfiles
