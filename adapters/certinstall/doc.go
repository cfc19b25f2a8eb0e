// Package certinstall writes a certificate, its chain and its key onto a host the way a
// deployment must: atomically, file by file and as a whole, with the previous files kept so
// that a failed or interrupted deployment rolls back. ledger-agent runs it for
// DeployCertificate; the formats are PEM files, PKCS#12 and Java KeyStores.
//
// Invariants:
//   - Only inside the host's allowed roots: every target file's directory must resolve inside
//     a root (certfiles.Within), and the file itself must not be a symlink.
//   - Each file is replaced atomically: written to a temporary file in the same directory,
//     fsynced, renamed over the old one, and the directory fsynced. A key file is 0600; a
//     replaced file keeps its owner and group.
//   - A deployment is all or nothing across its files: before the first file is replaced, a
//     journal (fsynced, in the first file's directory) lists every file and where its
//     previous version is kept. Commit removes the journal; Rollback puts every previous
//     version back (or removes a file that did not exist before). After a crash, Recover
//     finds a journal still there and rolls that deployment back, so a deployment that was
//     killed midway ends rolled back, never half written, and is reported once.
//   - Nothing here talks to the ledger or runs hooks; the agent does, between Install and
//     Commit, and rolls back when the hook or the verification fails.
package certinstall
