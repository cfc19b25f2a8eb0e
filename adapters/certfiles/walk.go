package certfiles

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// MaxFileSize is the largest file Finder reads by default: certificate stores are small.
const MaxFileSize = 4 << 20

// Finder walks allowed roots for certificate files.
type Finder struct {
	// Roots are the directories the walk covers and never leaves.
	Roots []string
	// Passwords are tried, with the empty password, on PKCS#12 files and Java KeyStores.
	Passwords []string
	// MaxFileSize bounds what is read of one file (0: MaxFileSize).
	MaxFileSize int64
}

// Found is one certificate file, or one file that should have been and could not be read.
type Found struct {
	// Path is the file as walked; a symlink's target is read.
	Path   string
	Format Format
	// Certificates are the file's certificates in file order; nil when Err is set.
	Certificates []*x509.Certificate
	Err          error
}

// Refused says a path was not read because it leads outside the roots.
func (f Found) Refused() bool { return errors.Is(f.Err, ErrOutsideRoots) }

// certExtensions are the names that say a file is meant to hold certificates, so that failing
// to read one is a finding rather than a file skipped.
var certExtensions = map[string]bool{".pem": true, ".crt": true, ".cer": true, ".der": true, ".p7b": true,
	".p7c": true, ".p12": true, ".pfx": true, ".jks": true, ".keystore": true, ".truststore": true}

// Walk reports every certificate file under the roots, and every file that is meant to be one
// but cannot be read. It returns the number of files looked at, or an error when a root
// itself cannot be walked or ctx ends.
func (f Finder) Walk(ctx context.Context, report func(Found)) (int, error) {
	seen := 0
	for _, root := range f.Roots {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return ctxErr
			}
			if err != nil {
				if path == root {
					return err
				}
				report(Found{Path: path, Err: err})
				return nil
			}
			if d.IsDir() || !(d.Type().IsRegular() || d.Type()&fs.ModeSymlink != 0) {
				return nil // directories are walked; symlinked ones are not entered; devices skipped
			}
			seen++
			if found, ok := f.read(path); ok {
				report(found)
			}
			return nil
		})
		if err != nil {
			return seen, fmt.Errorf("walk %s: %w", root, err)
		}
	}
	return seen, nil
}

// read reads one file; ok is false for a file that is no certificate file and not named one.
func (f Finder) read(path string) (Found, bool) {
	named := certExtensions[strings.ToLower(filepath.Ext(path))]
	file, err := OpenWithin(f.Roots, path)
	if err != nil {
		return Found{Path: path, Err: err}, true
	}
	defer file.Close()
	info, err := file.Stat()
	switch {
	case err != nil:
		return Found{Path: path, Err: err}, true
	case info.IsDir() || !info.Mode().IsRegular():
		return Found{}, false // a link to a directory or a device
	}
	limit := f.MaxFileSize
	if limit <= 0 {
		limit = MaxFileSize
	}
	if info.Size() > limit {
		return Found{Path: path, Err: fmt.Errorf("%d bytes, more than the limit of %d", info.Size(), limit)}, named
	}
	data, err := readAtMost(file, limit)
	if err != nil {
		return Found{Path: path, Err: err}, true
	}
	format, certs, err := Parse(data, f.Passwords)
	if errors.Is(err, ErrNotCertificates) && (!named || format == PEM) {
		return Found{}, false // not a certificate file, or PEM holding only keys or requests
	}
	if err != nil {
		return Found{Path: path, Format: format, Err: err}, true
	}
	return Found{Path: path, Format: format, Certificates: certs}, true
}

// readAtMost reads a file, never more than limit bytes, even when it grew since its stat.
func readAtMost(file *os.File, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(file, limit+1))
	if err == nil && int64(len(data)) > limit {
		err = fmt.Errorf("more than the limit of %d bytes", limit)
	}
	return data, err
}
