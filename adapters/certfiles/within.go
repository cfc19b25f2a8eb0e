package certfiles

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// ErrOutsideRoots is returned for a path that is, or resolves to, a place outside every root.
var ErrOutsideRoots = errors.New("outside the allowed roots")

// Within resolves path, every symlink on it included, and returns the resolved path when it
// lies inside one of roots (themselves resolved). Any other path, or one that cannot be
// resolved, is refused with an error wrapping ErrOutsideRoots or the resolution error.
func Within(roots []string, path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	resolved, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", fmt.Errorf("resolve %s: %w", path, err)
	}
	for _, root := range roots {
		r, err := filepath.EvalSymlinks(root)
		if err != nil {
			continue
		}
		if r, err = filepath.Abs(r); err == nil && inside(r, resolved) {
			return resolved, nil
		}
	}
	return "", fmt.Errorf("%s resolves to %s: %w", path, resolved, ErrOutsideRoots)
}

// inside says whether path is root or below it; both are absolute and clean.
func inside(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// OpenWithin opens a file that Within admits, and checks again, on the open file, that it is
// still inside the roots: a directory on the path swapped for a symlink between the check and
// the open would otherwise lead the read outside (on Linux the open file's path is read
// back from /proc/self/fd; elsewhere the first check stands alone).
func OpenWithin(roots []string, path string) (*os.File, error) {
	resolved, err := Within(roots, path)
	if err != nil {
		return nil, err
	}
	// O_NONBLOCK: a FIFO planted under a root must not hang the open; it changes nothing for
	// regular files, and the caller checks what it opened.
	file, err := os.OpenFile(resolved, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	if opened, err := os.Readlink(fmt.Sprintf("/proc/self/fd/%d", file.Fd())); err == nil {
		if _, err := Within(roots, opened); err != nil {
			_ = file.Close()
			return nil, fmt.Errorf("%s moved while it was opened: %w", path, err)
		}
	}
	return file, nil
}
