package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

func TestTheHostDecidesWhatATaskMayDo(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	require.NoError(t, os.Symlink(outside, filepath.Join(root, "out")))
	a := &agent{cfg: Config{AllowedRoots: []string{root}, Hooks: map[string][]string{"nginx": {"/usr/sbin/nginx", "-s", "reload"}}}}
	pemAt := func(dir, hook string) domain.DeploymentTarget {
		return domain.DeploymentTarget{Format: domain.FormatPEM, CertPath: filepath.Join(dir, "c.pem"), KeyPath: filepath.Join(dir, "c.key"), Hook: hook}
	}
	assert.NoError(t, a.allowed(pemAt(root, "nginx")))
	for name, target := range map[string]domain.DeploymentTarget{
		"outside the roots":  pemAt(outside, ""),
		"a symlink out":      pemAt(filepath.Join(root, "out"), ""),
		"an unknown hook":    pemAt(root, "rm"),
		"a keystore outside": {Format: domain.FormatJKS, KeystorePath: filepath.Join(outside, "k.jks")},
	} {
		var refused refusal
		assert.ErrorAsf(t, a.allowed(target), &refused, "%s is refused", name)
	}
}

func TestConfigRefusesWhatItCannotUse(t *testing.T) {
	dir := t.TempDir()
	write := func(body string) string {
		p := filepath.Join(dir, "host.json")
		require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
		return p
	}
	c, err := loadConfig(write(`{"url":"https://l:8443","dir":"/var/lib/a","allowed_roots":["/etc/tls"],"hooks":{"nginx":["systemctl","reload","nginx"]}}`))
	require.NoError(t, err)
	assert.Equal(t, "changeit", c.KeystorePassword)
	assert.Equal(t, 30*time.Second, time.Duration(c.Heartbeat))
	for name, body := range map[string]string{
		"no url":          `{"dir":"/d"}`,
		"a relative root": `{"url":"u","dir":"/d","allowed_roots":["tls"]}`,
		"an empty hook":   `{"url":"u","dir":"/d","hooks":{"x":[]}}`,
		"a relative path": `{"url":"u","dir":"/d","hooks":{"x":["bin/x"]}}`,
		"not JSON":        `{`,
	} {
		_, err := loadConfig(write(body))
		assert.Errorf(t, err, "%s", name)
	}
}

func TestJoinTokenNamesTheAgent(t *testing.T) {
	id, err := agentIDOf("clj_7d7ff39a9b5652239c116214194bfcb1_secretsecretsecretsecretsecretsecretsecret0")
	require.NoError(t, err)
	assert.Equal(t, "7d7ff39a-9b56-5223-9c11-6214194bfcb1", id.String())
	_, err = agentIDOf("clt_7d7ff39a9b5652239c116214194bfcb1_x")
	assert.Error(t, err, "an API token is no join token")
}

func TestBackoffDoublesToItsBound(t *testing.T) {
	assert.Equal(t, minBackoff, backoff(0))
	assert.Equal(t, 2*minBackoff, backoff(1))
	assert.Equal(t, maxBackoff, backoff(30))
}

func TestKeysAreKeptForAResumedDeployment(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.key")
	k1, err := loadOrCreateKey(path)
	require.NoError(t, err)
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	k2, err := loadOrCreateKey(path)
	require.NoError(t, err)
	assert.True(t, k1.Equal(k2), "the same key after a restart")
}
