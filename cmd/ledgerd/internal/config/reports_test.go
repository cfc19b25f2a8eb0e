package config_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/cmd/ledgerd/internal/config"
)

func TestReportPrices(t *testing.T) {
	cfg, err := config.Load(nil, env(nil))
	require.NoError(t, err)
	prices, err := cfg.LoadPrices()
	require.NoError(t, err)
	assert.True(t, prices.Price("id", "Any CA", "web").IsZero(), "no price table: everything is free")

	good := writeFile(t, `{"currency": "EUR", "cas": {"Public CA": {"default": "0.10"}}}`)
	cfg, err = config.Load([]string{"-report-prices", good}, env(nil))
	require.NoError(t, err)
	prices, err = cfg.LoadPrices()
	require.NoError(t, err)
	assert.Equal(t, "0.1", prices.Price("id", "Public CA", "web").String())

	bad := writeFile(t, `{"cas": {"Public CA": {"default": "-0.10"}}}`)
	_, err = config.Load(nil, env(map[string]string{"LEDGER_REPORT_PRICES": bad}))
	assert.ErrorContains(t, err, "LEDGER_REPORT_PRICES / -report-prices: price table: a price is negative")
}

func TestExternalCAs(t *testing.T) {
	cfg, err := config.Load(nil, env(nil))
	require.NoError(t, err)
	cas, err := cfg.LoadExternalCAs()
	require.NoError(t, err)
	assert.Zero(t, cas.Len(), "none configured")

	_, err = config.Load(nil, env(map[string]string{"LEDGER_EXTERNAL_CAS": writeFile(t, "not a bundle")}))
	assert.ErrorContains(t, err, "LEDGER_EXTERNAL_CAS / -external-cas: external CA bundle holds no PEM certificate")
	_, err = config.Load([]string{"-external-cas", "/nonexistent/bundle.pem"}, env(nil))
	assert.ErrorContains(t, err, "external CAs: open /nonexistent/bundle.pem")
}

func TestRenewalInterval(t *testing.T) {
	cfg, err := config.Load([]string{"-renewal-interval", "5s"}, env(nil))
	require.NoError(t, err)
	assert.Equal(t, 5*time.Second, cfg.RenewalEvery())
	_, err = config.Load(nil, env(map[string]string{"LEDGER_RENEWAL_INTERVAL": "100ms"}))
	assert.ErrorContains(t, err, `LEDGER_RENEWAL_INTERVAL / -renewal-interval: "100ms" is not a duration from 1s to 24h`)
}
