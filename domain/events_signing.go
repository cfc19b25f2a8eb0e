package domain

import "time"

// The signing event types, as stored with every event and hashed into its stream's chain: a
// name never changes. They are on the streams of the certificates and CAs that sign, and change
// no status.
const (
	TypeSigningStarted  = "SigningStarted"
	TypeSignatureVoided = "SignatureVoided"
)

// signingEvents are the events shared by the aggregates that sign.
var signingEvents = []EventSpec{specOf[SigningStarted](), specOf[SignatureVoided]()}

// Purposes of a signature, as SigningStarted records them.
const (
	PurposeCertificate = "certificate"
	PurposeResponder   = "responder"
	// PurposeSCEPRA is a CA's SCEP RA certificate.
	PurposeSCEPRA = "scep-ra"
	PurposeCA     = "ca"
	// PurposeSigningKey is a signing key's certificate, signed by a ledger CA.
	PurposeSigningKey = "signingkey"
	// PurposeArtifact is a signature of a signing key over an artifact's digest; its CAID is
	// the signing key's id and its serial the signature's id under that key. Voiding it puts
	// nothing on a CRL: no certificate was signed.
	PurposeArtifact = "artifact"
	// PurposeTimestamp is an RFC 3161 token signed by a TSA signing key; its CAID is the key's
	// id and its serial the token's. Voiding it, like an artifact's, puts nothing on a CRL.
	PurposeTimestamp = "timestamp"
)

// SigningStarted records, before a CA key (or a signing key) signs, the serial it is about to sign: every
// signature of a CA key is on the record before it exists. The certificate or CA the signature
// is for then records the signed certificate, or a SignatureVoided marks the serial never valid.
type SigningStarted struct {
	// Subject is the id of the certificate or CA whose stream holds the intent.
	Subject string `json:"subject"`
	// CAID is the CA whose key signs; the serial is unique under it.
	CAID      string    `json:"ca_id"`
	Serial    string    `json:"serial"`
	Purpose   string    `json:"purpose"`
	StartedAt time.Time `json:"started_at"`
}

// EventType returns TypeSigningStarted.
func (SigningStarted) EventType() string { return TypeSigningStarted }

// Aggregate returns the certificate or CA whose stream holds the intent.
func (e SigningStarted) Aggregate() AggregateRef { return signingRef(e.Purpose, e.Subject) }

// SignatureVoided records that a serial a CA key may have signed is never valid: the signature
// was interrupted, or the decision it was for no longer held when it was to be recorded. The
// CRL of the CA lists the serial as revoked (cessationOfOperation) and OCSP answers revoked,
// as CT practice treats precertificates that never became certificates.
type SignatureVoided struct {
	Subject string `json:"subject"`
	CAID    string `json:"ca_id"`
	Serial  string `json:"serial"`
	Purpose string `json:"purpose"`
	// CertificateDER is the signed certificate when the signature is known to exist.
	CertificateDER []byte    `json:"certificate_der,omitempty"`
	Reason         string    `json:"reason"`
	VoidedAt       time.Time `json:"voided_at"`
}

// EventType returns TypeSignatureVoided.
func (SignatureVoided) EventType() string { return TypeSignatureVoided }

// Aggregate returns the certificate or CA whose stream held the intent.
func (e SignatureVoided) Aggregate() AggregateRef { return signingRef(e.Purpose, e.Subject) }

// Void returns the event that marks the intent's serial never valid.
func (s SigningStarted) Void(certDER []byte, reason string, at time.Time) SignatureVoided {
	return SignatureVoided{Subject: s.Subject, CAID: s.CAID, Serial: s.Serial, Purpose: s.Purpose,
		CertificateDER: certDER, Reason: reason, VoidedAt: at.UTC()}
}

// signingRef returns the aggregate a signature of purpose is for: a certificate, a signing
// key (its certificate), a signature request (the artifact's signature), else a CA (its
// responder certificate, or its own certificate).
func signingRef(purpose, subject string) AggregateRef {
	switch purpose {
	case PurposeCertificate:
		return certificateRef(subject)
	case PurposeSigningKey:
		return signingKeyRef(subject)
	case PurposeArtifact:
		return signatureRef(subject)
	case PurposeTimestamp:
		return timestampRef(subject)
	}
	return caRef(subject)
}
