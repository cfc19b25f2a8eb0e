package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/tests/clienttest"
)

// TestReportsWithTheCLI prints the reports as tables and writes them as CSV.
func TestReportsWithTheCLI(t *testing.T) {
	l := clienttest.Start(t)
	caID := pkiSetup(t, l)
	for i, team := range []string{"web", "web", "pay"} {
		code, _, errOut := ctl(t, l, clienttest.AdminToken, "cert", "request", "--ca", caID, "--profile", "web",
			"--team", team, "--csr", csrFile(t, "r"+string(rune('a'+i))+".example.com"))
		require.Equal(t, exitOK, code, errOut)
	}
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		code, out, errOut := ctl(t, l, clienttest.AdminToken, "report", "expiry")
		assert.Equal(c, exitOK, code, errOut)
		assert.Regexp(c, `(?m)^pay\s+-\s+0\s+0\s+0\s+1\s+0\s+1$`, out)
		assert.Regexp(c, `(?m)^web\s+-\s+0\s+0\s+0\s+2\s+0\s+2$`, out)
	}, 10*time.Second, 50*time.Millisecond, "the report read model catches up")

	// As of position 1 (the CA's first event) no certificate existed yet.
	code, out, errOut := ctl(t, l, clienttest.AdminToken, "report", "expiry", "--as-of", "1")
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `(?m)^As of 1: position 1 of \$all, `, out)
	assert.NotRegexp(t, `(?m)^(pay|web)\s`, out, "before the certificates, the report has none")
	code, _, errOut = ctl(t, l, clienttest.AdminToken, "report", "expiry", "--as-of", "tomorrow")
	assert.Equal(t, exitRefused, code, "a moment that is no moment is a 400: %s", errOut)

	code, out, errOut = ctl(t, l, clienttest.DevOpsToken, "report", "compliance")
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `(?m)^web\s+2\s+2\s+0\.0%$`, out, "no owner: every certificate has a finding")
	assert.Regexp(t, `(?m)^web\s+missing_owner\s+low\s+2$`, out)
	assert.NotContains(t, out, "pay", "DEVOPS reads its own team only")

	path := filepath.Join(t.TempDir(), "cost.csv")
	code, _, errOut = ctl(t, l, clienttest.AdminToken, "report", "cost", "--team", "web", "--csv", path)
	require.Equal(t, exitOK, code, errOut)
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	rows, err := csv.NewReader(strings.NewReader(string(raw))).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 3, "header, this month's issuance and its renewal")
	assert.Equal(t, []string{"issued", time.Now().UTC().Format("2006-01"), "web"}, rows[1][:3])
	assert.Equal(t, "2", rows[1][5])

	code, _, _ = ctl(t, l, clienttest.DevOpsToken, "report", "cost", "--team", "pay")
	assert.Equal(t, exitRefused, code, "another team's report is refused")

	// The test certificates are P-256 (the CSR helper's key) and valid about 90 days: a harvest
	// date beyond them exposes none, one before them exposes all.
	later := time.Now().UTC().AddDate(1, 0, 0).Format(time.DateOnly)
	code, out, errOut = ctl(t, l, clienttest.AdminToken, "report", "pqc", "--harvest-date", later)
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "100.0 % of valid certificates are quantum-vulnerable")
	assert.Regexp(t, `(?m)^web\s+ecdsa-p256\s+ECDSA\s+yes\s+2\s+0$`, out)
	assert.Regexp(t, `(?m)^web\s+2\s+2\s+0\s+0\s+1\.00$`, out)
	code, out, errOut = ctl(t, l, clienttest.AdminToken, "report", "pqc", "--team", "web",
		"--harvest-date", time.Now().UTC().Format(time.DateOnly))
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `(?m)^web\s+2\s+2\s+2\s+0\s+0\.00$`, out, "every certificate outlives a harvest today")
	code, _, _ = ctl(t, l, clienttest.AdminToken, "report", "pqc", "--harvest-date", "soon")
	assert.Equal(t, exitRefused, code, "a harvest date that is no date is a 400")
}
