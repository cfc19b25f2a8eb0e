package certinstall

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// journal is what an unfinished deployment left on disk: enough to roll it back.
type journal struct {
	ID      string  `json:"id"`
	Entries []entry `json:"entries"`
}

// entry is one file of a deployment and where its previous version is kept.
type entry struct {
	Path string `json:"path"`
	// Backup is a hard link to the previous file, next to it; "" when there was none.
	Backup string `json:"backup,omitempty"`
}

// journalPath is where the journal of deployment id lives in the state directory.
func journalPath(stateDir, id string) string {
	return filepath.Join(stateDir, "deploy-"+id+".journal")
}

func (j journal) write(stateDir string) error {
	data, err := json.Marshal(j)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(stateDir, 0o700); err != nil {
		return fmt.Errorf("state directory: %w", err)
	}
	return writeAtomic(journalPath(stateDir, j.ID), data, 0o600)
}

// journals reads every journal left in the state directory.
func journals(stateDir string) ([]journal, error) {
	names, err := filepath.Glob(filepath.Join(stateDir, "deploy-*.journal"))
	if err != nil {
		return nil, err
	}
	var out []journal
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read journal %s: %w", name, err)
		}
		var j journal
		if err := json.Unmarshal(data, &j); err != nil || journalPath(stateDir, j.ID) != name {
			return nil, fmt.Errorf("journal %s is damaged; inspect it and the files it names by hand", name)
		}
		out = append(out, j)
	}
	return out, nil
}

// validID keeps a deployment id usable in file names.
func validID(id string) error {
	if id == "" || len(id) > 64 || strings.ContainsAny(id, `/\. `) {
		return fmt.Errorf("deployment id %q: want 1-64 characters without / \\ . or spaces", id)
	}
	return nil
}
