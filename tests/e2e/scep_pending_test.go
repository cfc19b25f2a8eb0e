package e2e_test

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"testing"
	"time"

	"github.com/smallstep/pkcs7"
	"github.com/smallstep/scep"
	"github.com/smallstep/scep/x509util"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSCEPWaitsForApproval sends a PKCSReq under a profile that needs approval and polls it
// with GetCertInitial (RFC 8894 §3.3.3), built with the smallstep SCEP and PKCS#7 libraries as
// a client would: PENDING until SEC_OPS approves, then SUCCESS with the certificate, encrypted
// to the requester. A poll for a transaction nobody sent is a FAILURE, badCertID.
func TestSCEPWaitsForApproval(t *testing.T) {
	l := startLedgerd(t)
	ca := l.post(t, "/api/v1/cas", map[string]any{"name": "Approved", "common_name": "Approved CA", "key_algorithm": "ecdsa-p256"}, http.StatusCreated)
	l.post(t, "/api/v1/profiles", map[string]any{"name": "scep-approved", "allowed_domains": []string{"devices.example.com"},
		"key_types": []string{"rsa-2048"}, "max_validity_days": 30, "requires_approval": true}, http.StatusCreated)
	provisioners, err := json.Marshal([]map[string]string{{"name": "approved", "ca_id": ca["id"].(string), "profile": "scep-approved"}})
	require.NoError(t, err)
	l.restart(t, "LEDGER_SCEP_PROVISIONERS="+string(provisioners))
	url := l.base + "/scep/approved"

	resp, err := http.Get(url + "?operation=GetCACert")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, "application/x-x509-ca-ra-cert", resp.Header.Get("Content-Type"))
	caCerts, err := scep.CACerts(body)
	require.NoError(t, err)
	require.Len(t, caCerts, 2, "the RA, then the CA")
	ra := caCerts[0]
	assert.NotZero(t, ra.KeyUsage&x509.KeyUsageKeyEncipherment, "clients encrypt to the RA")
	assert.NoError(t, ra.CheckSignatureFrom(caCerts[1]), "the CA certified its RA")

	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	self := selfSigned(t, key)
	password := l.post(t, "/api/v1/scep/challenges", map[string]any{"provisioner": "approved", "team": "iot"}, http.StatusCreated)["password"].(string)
	der, err := x509util.CreateCertificateRequest(rand.Reader, &x509util.CertificateRequest{ChallengePassword: password,
		CertificateRequest: x509.CertificateRequest{Subject: pkix.Name{CommonName: "dev-9.devices.example.com"},
			DNSNames: []string{"dev-9.devices.example.com"}}}, key)
	require.NoError(t, err)
	csr, err := x509.ParseCertificateRequest(der)
	require.NoError(t, err)
	req, err := scep.NewCSRRequest(csr, &scep.PKIMessage{MessageType: scep.PKCSReq, Recipients: []*x509.Certificate{ra},
		SignerKey: key, SignerCert: self})
	require.NoError(t, err)

	operation := func(msg []byte) *scep.PKIMessage {
		t.Helper()
		resp, err := http.Post(url+"?operation=PKIOperation", "application/x-pki-message", bytes.NewReader(msg))
		require.NoError(t, err)
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
		rep, err := scep.ParsePKIMessage(body, scep.WithCACerts([]*x509.Certificate{ra}))
		require.NoError(t, err)
		return rep
	}
	assert.Equal(t, scep.PENDING, operation(req.Raw).PKIStatus, "the profile needs approval")
	poll := certPoll(t, req.TransactionID, key, self)
	assert.Equal(t, scep.PENDING, operation(poll).PKIStatus)

	var pending []any
	require.Eventually(t, func() bool {
		pending = l.get(t, "/api/v1/certificates?team=iot&status=pending_approval")["items"].([]any)
		return len(pending) == 1
	}, 10*time.Second, 50*time.Millisecond)
	l.post(t, "/api/v1/certificates/"+pending[0].(map[string]any)["id"].(string)+"/approve", map[string]any{}, http.StatusOK)

	rep := operation(poll)
	require.Equal(t, scep.SUCCESS, rep.PKIStatus)
	require.NoError(t, rep.DecryptPKIEnvelope(self, key), "the certificate is encrypted to the requester")
	issued := rep.CertRepMessage.Certificate
	assert.Equal(t, "dev-9.devices.example.com", issued.Subject.CommonName)
	assert.NoError(t, issued.CheckSignatureFrom(caCerts[1]))

	unknown := certPoll(t, "nobody-sent-this", key, self)
	assert.Equal(t, scep.FAILURE, operation(unknown).PKIStatus)
	assert.Equal(t, scep.BadCertID, operation(unknown).FailInfo)
}

// certPoll builds a GetCertInitial for a transaction, signed with key and its certificate.
func certPoll(t *testing.T, transaction scep.TransactionID, key *rsa.PrivateKey, cert *x509.Certificate) []byte {
	t.Helper()
	oid := func(n int) asn1.ObjectIdentifier { return asn1.ObjectIdentifier{2, 16, 840, 1, 113733, 1, 9, n} }
	nonce := make([]byte, 16)
	_, err := rand.Read(nonce)
	require.NoError(t, err)
	sd, err := pkcs7.NewSignedData(nil)
	require.NoError(t, err)
	sd.SetDigestAlgorithm(pkcs7.OIDDigestAlgorithmSHA256)
	require.NoError(t, sd.AddSigner(cert, key, pkcs7.SignerInfoConfig{ExtraSignedAttributes: []pkcs7.Attribute{
		{Type: oid(7), Value: transaction}, {Type: oid(2), Value: scep.CertPoll}, {Type: oid(5), Value: nonce}}}))
	out, err := sd.Finish()
	require.NoError(t, err)
	return out
}

// selfSigned is the throwaway certificate a SCEP client signs its first request with.
func selfSigned(t *testing.T, key *rsa.PrivateKey) *x509.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "SCEP SIGNER"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return cert
}
