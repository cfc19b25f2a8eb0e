package config_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/cmd/ledgerd/internal/config"
)

func TestSIEMConfig(t *testing.T) {
	cfg, err := config.Load(nil, env(nil))
	require.NoError(t, err)
	_, ok, err := cfg.LoadSIEM()
	require.NoError(t, err)
	assert.False(t, ok, "no forwarder without LEDGER_SIEM_CONFIG")

	good := writeFile(t, `{"source":"urn:certledger:prod","sinks":[{"name":"archive","kind":"file","path":"/tmp/events.jsonl"}]}`)
	cfg, err = config.Load(nil, env(map[string]string{"LEDGER_SIEM_CONFIG": good}))
	require.NoError(t, err)
	siemCfg, ok, err := cfg.LoadSIEM()
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, "urn:certledger:prod", siemCfg.Source)

	bad := writeFile(t, `{"sinks":[{"name":"archive","kind":"file","path":"x","subject":"s","colour":"red"}]}`)
	_, err = config.Load([]string{"-siem-config", bad}, env(nil))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "LEDGER_SIEM_CONFIG / -siem-config: "+bad+`: json: unknown field "colour"`)

	bad = writeFile(t, `{"sinks":[{"name":"archive","kind":"file","path":"x","subject":"s"},{"name":"x","kind":"ftp"}]}`)
	_, err = config.Load([]string{"-siem-config", bad}, env(nil))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `sink "archive": field "subject" does not apply to kind file`)
	assert.Contains(t, err.Error(), `sink "x": kind "ftp"`)

	_, err = config.Load(nil, env(map[string]string{"LEDGER_SIEM_CONFIG": "/does/not/exist.json"}))
	assert.ErrorContains(t, err, "LEDGER_SIEM_CONFIG / -siem-config")
}
