package domain

import "time"

// The signature request event types, as stored with every event and hashed into its stream's
// chain: a name never changes. They are on the stream "signature-<request id>", one stream
// per request, so that signatures with one key never contend on a stream.
const (
	TypeSignatureRequested = "SignatureRequested"
	TypeSignatureApproved  = "SignatureApproved"
	TypeSignatureRefused   = "SignatureRefused"
	TypeArtifactSigned     = "ArtifactSigned"
)

// signatureEvents are the events of a signature request's stream, besides the signing events.
var signatureEvents = []EventSpec{specOf[SignatureRequested](), specOf[SignatureApproved](),
	specOf[SignatureRefused](), specOf[ArtifactSigned]()}

func signatureRef(id string) AggregateRef { return AggregateRef{Category: CategorySignature, ID: id} }

// SignatureRequested records a request to sign an artifact's digest with a signing key. The
// artifact never reaches the ledger: only its digest, its algorithm, its name and free metadata.
// For an Authenticode request (Kind authenticode) Digest is the PE image's Authenticode hash
// and Content the SpcIndirectDataContent that holds it, what the signature covers.
type SignatureRequested struct {
	RequestID       string            `json:"request_id"`
	KeyID           string            `json:"key_id"`
	Kind            SignatureKind     `json:"kind,omitempty"`
	Digest          []byte            `json:"digest"`
	DigestAlgorithm DigestAlgorithm   `json:"digest_algorithm"`
	Content         []byte            `json:"content,omitempty"`
	Artifact        string            `json:"artifact"`
	Metadata        map[string]string `json:"metadata,omitempty"`
	// RequestedBy and Team are the requester, whom no approval may come from.
	RequestedBy string `json:"requested_by"`
	Team        string `json:"team"`
	// ApprovalsRequired is how many approvals the key's policy asked for when it was requested.
	ApprovalsRequired int       `json:"approvals_required"`
	RequestedAt       time.Time `json:"requested_at"`
	Override          bool      `json:"override"`
}

// EventType returns TypeSignatureRequested.
func (SignatureRequested) EventType() string { return TypeSignatureRequested }

// Aggregate returns the signature request.
func (e SignatureRequested) Aggregate() AggregateRef { return signatureRef(e.RequestID) }

// SignatureApproved records one approval of a pending request.
type SignatureApproved struct {
	RequestID  string    `json:"request_id"`
	ApprovedBy string    `json:"approved_by"`
	ApprovedAt time.Time `json:"approved_at"`
}

// EventType returns TypeSignatureApproved.
func (SignatureApproved) EventType() string { return TypeSignatureApproved }

// Aggregate returns the signature request.
func (e SignatureApproved) Aggregate() AggregateRef { return signatureRef(e.RequestID) }

// SignatureRefused records that a pending request will never be signed.
type SignatureRefused struct {
	RequestID string    `json:"request_id"`
	RefusedBy string    `json:"refused_by"`
	Reason    string    `json:"reason"`
	RefusedAt time.Time `json:"refused_at"`
}

// EventType returns TypeSignatureRefused.
func (SignatureRefused) EventType() string { return TypeSignatureRefused }

// Aggregate returns the signature request.
func (e SignatureRefused) Aggregate() AggregateRef { return signatureRef(e.RequestID) }

// ArtifactSigned records the signature the key made after the intent announced it: what was
// signed (the artifact's name, digest and the signature's kind, as requested), the raw
// signature over the CMS signed attributes and the SignedData built around it (detached, or
// an Authenticode signature carrying the PE's indirect data). Events recorded before the kind
// existed have no Kind, Artifact or Digest: their request has them.
type ArtifactSigned struct {
	RequestID       string          `json:"request_id"`
	KeyID           string          `json:"key_id"`
	Kind            SignatureKind   `json:"kind,omitempty"`
	Artifact        string          `json:"artifact,omitempty"`
	Digest          []byte          `json:"digest,omitempty"`
	DigestAlgorithm DigestAlgorithm `json:"digest_algorithm,omitempty"`
	// Serial is the signature's id under the key, announced by its SigningStarted intent.
	Serial string `json:"serial"`
	// CertificateSerial is the serial of the key's certificate, which the CMS names.
	CertificateSerial string    `json:"certificate_serial"`
	Signature         []byte    `json:"signature"`
	CMS               []byte    `json:"cms"`
	SignedAt          time.Time `json:"signed_at"`
}

// EventType returns TypeArtifactSigned.
func (ArtifactSigned) EventType() string { return TypeArtifactSigned }

// Aggregate returns the signature request.
func (e ArtifactSigned) Aggregate() AggregateRef { return signatureRef(e.RequestID) }
