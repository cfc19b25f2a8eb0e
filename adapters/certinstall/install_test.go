package certinstall_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/certinstall"
)

// host is a root with a certificate and key already deployed, and the agent's state dir.
func host(t *testing.T) (certinstall.Installer, string) {
	t.Helper()
	root := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(root, "site.crt"), []byte("old cert"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(root, "site.key"), []byte("old key"), 0o600))
	return certinstall.Installer{Roots: []string{root}, StateDir: filepath.Join(t.TempDir(), "state")}, root
}

func files(root string) []certinstall.File {
	return []certinstall.File{
		{Path: filepath.Join(root, "site.crt"), Data: []byte("new cert"), Mode: 0o644},
		{Path: filepath.Join(root, "site.key"), Data: []byte("new key"), Mode: 0o600},
		{Path: filepath.Join(root, "chain.crt"), Data: []byte("new chain"), Mode: 0o644},
	}
}

func content(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return "<none>"
	}
	require.NoError(t, err)
	return string(data)
}

func TestInstallThenCommitLeavesOnlyTheNewFiles(t *testing.T) {
	in, root := host(t)
	d, err := in.Install("dep-1", files(root))
	require.NoError(t, err)
	assert.Equal(t, "new cert", content(t, filepath.Join(root, "site.crt")))
	require.NoError(t, d.Commit())
	entries, err := os.ReadDir(root)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.ElementsMatch(t, []string{"site.crt", "site.key", "chain.crt"}, names, "no backups or temporary files left")
	info, err := os.Stat(filepath.Join(root, "site.key"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	left, err := in.Recover()
	require.NoError(t, err)
	assert.Empty(t, left, "a committed deployment leaves no journal")
}

func TestRollbackPutsThePreviousFilesBack(t *testing.T) {
	in, root := host(t)
	d, err := in.Install("dep-2", files(root))
	require.NoError(t, err)
	require.NoError(t, d.Rollback())
	assert.Equal(t, "old cert", content(t, filepath.Join(root, "site.crt")))
	assert.Equal(t, "old key", content(t, filepath.Join(root, "site.key")))
	assert.Equal(t, "<none>", content(t, filepath.Join(root, "chain.crt")), "a file the deployment created is removed")
}

// TestRecoverRollsBackADeploymentACrashInterrupted stops an Install after its first file, as
// kill -9 would, and recovers on the next start.
func TestRecoverRollsBackADeploymentACrashInterrupted(t *testing.T) {
	in, root := host(t)
	certinstall.SetAfterReplace(func(i int) {
		if i == 0 {
			panic("killed")
		}
	})
	t.Cleanup(func() { certinstall.SetAfterReplace(nil) })
	assert.PanicsWithValue(t, "killed", func() { _, _ = in.Install("dep-3", files(root)) })
	certinstall.SetAfterReplace(nil)
	assert.Equal(t, "new cert", content(t, filepath.Join(root, "site.crt")), "half written before recovery")

	ids, err := in.Recover()
	require.NoError(t, err)
	assert.Equal(t, []string{"dep-3"}, ids)
	assert.Equal(t, "old cert", content(t, filepath.Join(root, "site.crt")))
	assert.Equal(t, "old key", content(t, filepath.Join(root, "site.key")))
	assert.Equal(t, "<none>", content(t, filepath.Join(root, "chain.crt")))
	ids, err = in.Recover()
	require.NoError(t, err)
	assert.Empty(t, ids, "reported once")
}

func TestInstallRefusesPathsOutsideTheRoots(t *testing.T) {
	in, root := host(t)
	outside := t.TempDir()
	require.NoError(t, os.Symlink(outside, filepath.Join(root, "linked")))
	require.NoError(t, os.Symlink(filepath.Join(outside, "x"), filepath.Join(root, "link.crt")))
	for name, path := range map[string]string{
		"a traversal":           filepath.Join(root, "..", "escape.crt"),
		"a directory link out":  filepath.Join(root, "linked", "site.crt"),
		"a file that is a link": filepath.Join(root, "link.crt"),
		"a relative path":       "site.crt",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := in.Install("dep-4", []certinstall.File{{Path: path, Data: []byte("x"), Mode: 0o644}})
			assert.Error(t, err)
			assert.Equal(t, "old cert", content(t, filepath.Join(root, "site.crt")))
		})
	}
	entries, err := os.ReadDir(outside)
	require.NoError(t, err)
	assert.Empty(t, entries, "nothing was written outside")
	_, err = in.Install("../x", files(root))
	assert.ErrorContains(t, err, "deployment id")
}

func TestInstallKeepsTheOwnerOfAReplacedFile(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("changing a file's owner needs root; CI runs the tests as root")
	}
	in, root := host(t)
	require.NoError(t, os.Chown(filepath.Join(root, "site.crt"), 1234, 5678))
	d, err := in.Install("dep-5", files(root))
	require.NoError(t, err)
	require.NoError(t, d.Commit())
	info, err := os.Stat(filepath.Join(root, "site.crt"))
	require.NoError(t, err)
	st := info.Sys().(*syscall.Stat_t)
	assert.Equal(t, []uint32{1234, 5678}, []uint32{st.Uid, st.Gid})
}
