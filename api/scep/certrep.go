package scep

import (
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"encoding/asn1"
	"fmt"

	"github.com/smallstep/pkcs7"
	"github.com/smallstep/scep"
)

// The SCEP signed attributes (RFC 8894 §3.2.1.4).
var (
	oidMessageType    = asn1.ObjectIdentifier{2, 16, 840, 1, 113733, 1, 9, 2}
	oidPKIStatus      = asn1.ObjectIdentifier{2, 16, 840, 1, 113733, 1, 9, 3}
	oidFailInfo       = asn1.ObjectIdentifier{2, 16, 840, 1, 113733, 1, 9, 4}
	oidSenderNonce    = asn1.ObjectIdentifier{2, 16, 840, 1, 113733, 1, 9, 5}
	oidRecipientNonce = asn1.ObjectIdentifier{2, 16, 840, 1, 113733, 1, 9, 6}
	oidTransactionID  = asn1.ObjectIdentifier{2, 16, 840, 1, 113733, 1, 9, 7}
)

// request is what an answer needs of the request: its transaction id and nonce, and the
// certificate it was signed with, which a SUCCESS encrypts the new certificate to.
type request struct {
	transactionID scep.TransactionID
	senderNonce   scep.SenderNonce
	signer        *x509.Certificate
}

// answer is a CertRep (RFC 8894 §3.3.2): SUCCESS with the certificate, PENDING, or FAILURE
// with why.
type answer struct {
	status   scep.PKIStatus
	failInfo scep.FailInfo
	certDER  []byte
}

func success(der []byte) answer         { return answer{status: scep.SUCCESS, certDER: der} }
func pending() answer                   { return answer{status: scep.PENDING} }
func failure(info scep.FailInfo) answer { return answer{status: scep.FAILURE, failInfo: info} }

// certRep builds the CertRep of a to req, signed by the RA with SHA-256; a SUCCESS carries the
// certificate as a certs-only SignedData enveloped (AES-128-CBC) to the request's signer.
func certRep(ra *x509.Certificate, key crypto.Signer, req request, a answer) ([]byte, error) {
	var content []byte
	if a.status == scep.SUCCESS {
		deg, err := pkcs7.DegenerateCertificate(a.certDER)
		if err != nil {
			return nil, fmt.Errorf("SCEP CertRep: certs-only CMS: %w", err)
		}
		if content, err = pkcs7.Encrypt(deg, []*x509.Certificate{req.signer}); err != nil {
			return nil, fmt.Errorf("SCEP CertRep: envelope to the requester: %w", err)
		}
	}
	nonce := make([]byte, 16)
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	attrs := []pkcs7.Attribute{{Type: oidTransactionID, Value: req.transactionID}, {Type: oidMessageType, Value: scep.CertRep},
		{Type: oidPKIStatus, Value: a.status}, {Type: oidSenderNonce, Value: nonce}, {Type: oidRecipientNonce, Value: req.senderNonce}}
	if a.status == scep.FAILURE {
		attrs = append(attrs, pkcs7.Attribute{Type: oidFailInfo, Value: a.failInfo})
	}
	sd, err := pkcs7.NewSignedData(content)
	if err != nil {
		return nil, err
	}
	sd.SetDigestAlgorithm(pkcs7.OIDDigestAlgorithmSHA256)
	if err := sd.AddSigner(ra, key, pkcs7.SignerInfoConfig{ExtraSignedAttributes: attrs}); err != nil {
		return nil, fmt.Errorf("SCEP CertRep: sign with the RA: %w", err)
	}
	return sd.Finish()
}
