package certinstall

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/certledger/certledger/adapters/certfiles"
)

// File is one file a deployment writes.
type File struct {
	Path string
	Data []byte
	// Mode is the new file's mode: 0600 for keys and stores holding keys, 0644 for
	// certificates.
	Mode fs.FileMode
}

// Installer installs deployments under a host's allowed roots, keeping its journals in
// StateDir (the agent's own directory, outside the roots).
type Installer struct {
	Roots    []string
	StateDir string
}

// Deployment is a set of files installed and not yet committed or rolled back.
type Deployment struct {
	installer Installer
	journal   journal
}

// Install replaces files as one deployment, identified by id (unique per deployment). On an
// error every file already replaced is put back before Install returns.
func (in Installer) Install(id string, files []File) (*Deployment, error) {
	if err := validID(id); err != nil {
		return nil, err
	}
	j := journal{ID: id}
	for _, f := range files {
		e, err := in.plan(id, f.Path)
		if err != nil {
			return nil, err
		}
		j.Entries = append(j.Entries, e)
	}
	if err := j.write(in.StateDir); err != nil {
		return nil, fmt.Errorf("deployment %s: write its journal: %w", id, err)
	}
	d := &Deployment{installer: in, journal: j}
	for i, f := range files {
		if err := replace(j.Entries[i], f); err != nil {
			return nil, errors.Join(fmt.Errorf("deployment %s: %w", id, err), d.Rollback())
		}
		if afterReplace != nil {
			afterReplace(i)
		}
	}
	return d, nil
}

// afterReplace, when set by a test, runs after each file is replaced (to stop midway).
var afterReplace func(i int)

// plan checks one target and names the backup of what it replaces.
func (in Installer) plan(id, path string) (entry, error) {
	if !filepath.IsAbs(path) {
		return entry{}, fmt.Errorf("%s: a deployment path must be absolute", path)
	}
	dir, err := certfiles.Within(in.Roots, filepath.Dir(path))
	if err != nil {
		return entry{}, fmt.Errorf("refused: %w", err)
	}
	target := filepath.Join(dir, filepath.Base(path))
	info, err := os.Lstat(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return entry{Path: target}, nil
	case err != nil:
		return entry{}, err
	case info.Mode()&fs.ModeSymlink != 0:
		return entry{}, fmt.Errorf("refused: %s is a symlink; a deployment replaces files, not links", target)
	case !info.Mode().IsRegular():
		return entry{}, fmt.Errorf("refused: %s is not a regular file", target)
	}
	return entry{Path: target, Backup: filepath.Join(dir, "."+filepath.Base(target)+".certledger-prev-"+id)}, nil
}

// replace keeps the previous file as a hard link and writes the new one over it.
func replace(e entry, f File) error {
	if e.Backup != "" {
		_ = os.Remove(e.Backup) // a backup an earlier, recovered attempt of this id left
		if err := os.Link(e.Path, e.Backup); err != nil {
			return fmt.Errorf("keep the previous %s: %w", e.Path, err)
		}
	}
	return writeAtomic(e.Path, f.Data, f.Mode)
}

// Commit ends the deployment: the new files stay and the previous versions are removed.
func (d *Deployment) Commit() error {
	for _, e := range d.journal.Entries {
		if e.Backup != "" {
			if err := os.Remove(e.Backup); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("deployment %s: remove the previous %s: %w", d.journal.ID, e.Path, err)
			}
		}
	}
	return removeJournal(d.installer.StateDir, d.journal.ID)
}

// Rollback puts every previous file back and removes files the deployment created. It may
// run again after a crash midway through it.
func (d *Deployment) Rollback() error {
	var errs []error
	for i := len(d.journal.Entries) - 1; i >= 0; i-- {
		if err := restore(d.journal.Entries[i]); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("deployment %s: roll back (its journal stays for another try): %w", d.journal.ID, errors.Join(errs...))
	}
	return removeJournal(d.installer.StateDir, d.journal.ID)
}

// restore undoes one entry; an entry whose backup is gone was restored already or never
// replaced.
func restore(e entry) error {
	if e.Backup == "" {
		if err := os.Remove(e.Path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove %s: %w", e.Path, err)
		}
		return syncDir(filepath.Dir(e.Path))
	}
	if err := os.Rename(e.Backup, e.Path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("put the previous %s back: %w", e.Path, err)
	}
	return syncDir(filepath.Dir(e.Path))
}

func removeJournal(stateDir, id string) error {
	if err := os.Remove(journalPath(stateDir, id)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("deployment %s: remove its journal: %w", id, err)
	}
	return syncDir(stateDir)
}

// Recover rolls back every deployment a crash left unfinished and returns their ids, so the
// agent can report each as failed once.
func (in Installer) Recover() ([]string, error) {
	left, err := journals(in.StateDir)
	if err != nil || len(left) == 0 {
		return nil, err
	}
	var ids []string
	for _, j := range left {
		if err := (&Deployment{installer: in, journal: j}).Rollback(); err != nil {
			return ids, err
		}
		ids = append(ids, j.ID)
	}
	return ids, nil
}
