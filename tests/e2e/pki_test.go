package e2e_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIssueCheckRevokeWithOpenSSL(t *testing.T) {
	l := startLedgerd(t)
	dir := t.TempDir()
	file := func(name string) string { return filepath.Join(dir, name) }

	ca := l.post(t, "/api/v1/cas", map[string]any{"name": "Root", "common_name": "E2E Root CA", "key_algorithm": "ecdsa-p256"}, 201)
	caID := ca["id"].(string)
	l.post(t, "/api/v1/profiles", map[string]any{"name": "web", "allowed_domains": []string{"example.com"},
		"key_types": []string{"rsa-2048", "ecdsa-p256"}, "max_validity_days": 90, "requires_approval": false}, 201)

	out, err := openssl(t, "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", file("leaf.key"),
		"-subj", "/CN=www.example.com", "-addext", "subjectAltName=DNS:www.example.com", "-out", file("leaf.csr"))
	require.NoError(t, err, out)
	csr, err := os.ReadFile(file("leaf.csr"))
	require.NoError(t, err)
	cert := l.post(t, "/api/v1/certificates", map[string]any{"ca_id": caID, "profile": "web", "csr": string(csr), "team": "web"}, 201)
	require.NoError(t, os.WriteFile(file("leaf.pem"), []byte(cert["certificate"].(string)), 0o600))
	require.True(t, l.download(t, "/api/v1/cas/"+caID+"/certificate", file("ca.pem")))

	// ocsp asks with openssl; until the read model has the CA, the answer is "unauthorized".
	ocsp := func() string {
		out, _ := openssl(t, "ocsp", "-issuer", file("ca.pem"), "-cert", file("leaf.pem"), "-CAfile", file("ca.pem"), "-url", l.base+"/ocsp")
		return out
	}
	require.Eventually(t, func() bool {
		return contains(ocsp(), "leaf.pem: good")
	}, 10*time.Second, 100*time.Millisecond, "openssl ocsp says good once the CA's responder is loaded")

	l.post(t, "/api/v1/certificates/"+cert["id"].(string)+"/revoke", map[string]any{"reason": "keyCompromise"}, 200)
	revokedAt := time.Now()
	var answer string
	require.Eventually(t, func() bool { answer = ocsp(); return contains(answer, "leaf.pem: revoked") }, 5*time.Second, 50*time.Millisecond)
	assert.Less(t, time.Since(revokedAt), 2*time.Second, "OCSP says revoked about a second after the revocation")
	assert.Contains(t, answer, "Response verify OK")
	assert.Contains(t, answer, "Reason: keyCompromise")

	require.Eventually(t, func() bool {
		if !l.download(t, "/crl/"+caID+".pem", file("crl.pem")) {
			return false
		}
		out, err := openssl(t, "verify", "-crl_check", "-CAfile", file("ca.pem"), "-CRLfile", file("crl.pem"), file("leaf.pem"))
		return err != nil && contains(out, "certificate revoked")
	}, 5*time.Second, 100*time.Millisecond, "openssl verify -crl_check says certificate revoked")
	out, err = openssl(t, "crl", "-in", file("crl.pem"), "-noout", "-text")
	require.NoError(t, err, out)
	assert.Contains(t, out, "X509v3 CRL Number")
	assert.Contains(t, out, "Key Compromise")
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func TestInventoryListsIssuedCertificatesPageByPage(t *testing.T) {
	l := startLedgerd(t)
	ca := l.post(t, "/api/v1/cas", map[string]any{"name": "Root", "common_name": "E2E Root CA", "key_algorithm": "ecdsa-p256"}, 201)
	l.post(t, "/api/v1/profiles", map[string]any{"name": "web", "allowed_domains": []string{"example.com"},
		"key_types": []string{"ecdsa-p256"}, "max_validity_days": 90, "requires_approval": false}, 201)
	dir := t.TempDir()
	for i := 0; i < 5; i++ {
		name := "host" + string(rune('a'+i)) + ".example.com"
		out, err := openssl(t, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
			"-keyout", filepath.Join(dir, "k.pem"), "-subj", "/CN="+name, "-addext", "subjectAltName=DNS:"+name, "-out", filepath.Join(dir, "r.csr"))
		require.NoError(t, err, out)
		csr, err := os.ReadFile(filepath.Join(dir, "r.csr"))
		require.NoError(t, err)
		l.post(t, "/api/v1/certificates", map[string]any{"ca_id": ca["id"], "profile": "web", "csr": string(csr), "team": "web"}, 201)
	}
	seen := map[string]bool{}
	require.Eventually(t, func() bool {
		clear(seen)
		cursor := ""
		for {
			page := l.get(t, "/api/v1/certificates?status=issued&team=web&limit=2&cursor="+cursor)
			for _, item := range page["items"].([]any) {
				seen[item.(map[string]any)["id"].(string)] = true
			}
			if cursor = page["next_cursor"].(string); cursor == "" {
				return len(seen) == 5
			}
		}
	}, 10*time.Second, 100*time.Millisecond, "the projection shows all five certificates, two per page")

	out, code := l.ledgerctl(t, "projections", "status")
	require.Equal(t, 0, code, out)
	assert.Regexp(t, `(?m)^pki\s+\d+\s+0\s*$`, out, "caught up: no lag")
	out, code = l.ledgerctl(t, "projections", "rebuild", "pki")
	require.Equal(t, 0, code, out)
	assert.Contains(t, out, "rebuilt pki")
	assert.Contains(t, out, "100%")
	page := l.get(t, "/api/v1/certificates?status=issued&limit=50")
	assert.Len(t, page["items"], 5, "the rebuilt tables hold what the live ones did")
	out, code = l.ledgerctl(t, "audit", "verify")
	require.Equal(t, 0, code, out)
}

func TestPartitionedCRLOfACertificateListsItsRevocation(t *testing.T) {
	l := startLedgerd(t)
	dir := t.TempDir()
	file := func(name string) string { return filepath.Join(dir, name) }

	ca := l.post(t, "/api/v1/cas", map[string]any{"name": "Big", "common_name": "E2E Partitioned CA",
		"key_algorithm": "ecdsa-p256", "crl_partitions": 4}, 201)
	caID := ca["id"].(string)
	assert.EqualValues(t, 4, ca["crl_partitions"])
	l.post(t, "/api/v1/profiles", map[string]any{"name": "web", "allowed_domains": []string{"example.com"},
		"key_types": []string{"ecdsa-p256"}, "max_validity_days": 90, "requires_approval": false}, 201)
	out, err := openssl(t, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", file("leaf.key"),
		"-subj", "/CN=www.example.com", "-addext", "subjectAltName=DNS:www.example.com", "-out", file("leaf.csr"))
	require.NoError(t, err, out)
	csr, err := os.ReadFile(file("leaf.csr"))
	require.NoError(t, err)
	cert := l.post(t, "/api/v1/certificates", map[string]any{"ca_id": caID, "profile": "web", "csr": string(csr), "team": "web"}, 201)
	require.NoError(t, os.WriteFile(file("leaf.pem"), []byte(cert["certificate"].(string)), 0o600))
	require.True(t, l.download(t, "/api/v1/cas/"+caID+"/certificate", file("ca.pem")))

	out, err = openssl(t, "x509", "-in", file("leaf.pem"), "-noout", "-text")
	require.NoError(t, err, out)
	m := regexp.MustCompile(`URI:(\S*/crl/` + regexp.QuoteMeta(caID) + `/p[0-3]\.crl)`).FindStringSubmatch(out)
	require.NotNil(t, m, "the certificate's CRL distribution point is its partition's: %s", out)
	partition := strings.TrimPrefix(m[1], l.base)
	require.NotEqual(t, m[1], partition, "the partition URL is under the ledger's public URL")

	l.post(t, "/api/v1/certificates/"+cert["id"].(string)+"/revoke", map[string]any{"reason": "keyCompromise"}, 200)
	require.Eventually(t, func() bool {
		if !l.download(t, strings.TrimSuffix(partition, ".crl")+".pem", file("part.pem")) {
			return false
		}
		out, err := openssl(t, "verify", "-crl_check", "-CAfile", file("ca.pem"), "-CRLfile", file("part.pem"), file("leaf.pem"))
		return err != nil && contains(out, "certificate revoked")
	}, 10*time.Second, 100*time.Millisecond, "openssl verify -crl_check with the partition CRL says certificate revoked")
	require.True(t, l.download(t, partition, file("part.crl")), "the partition is also served as DER")
	out, err = openssl(t, "crl", "-inform", "DER", "-in", file("part.crl"), "-noout", "-text")
	require.NoError(t, err, out)
	assert.Contains(t, out, "X509v3 Issuing Distribution Point: critical")
	assert.Contains(t, out, "URI:"+m[1])
	assert.Contains(t, out, "Key Compromise")
}
