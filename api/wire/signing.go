package wire

import "time"

// SigningPolicy is who may ask a signing key for signatures and how many approvals each
// request needs.
type SigningPolicy struct {
	// Teams may request (their DEVOPS and SEC_OPS); with Principals empty too, the key's team.
	Teams      []string `json:"teams,omitempty"`
	Principals []string `json:"principals,omitempty"`
	// DigestAlgorithms accepted: sha256, sha384, sha512 (default all three); sha1 and md5 never.
	DigestAlgorithms []string `json:"digest_algorithms,omitempty"`
	// Approvals is how many distinct SEC_OPS approvers each request needs (M); 0 signs at once.
	Approvals int `json:"approvals"`
	// Approvers, when set, are the N subjects the approvals must come from.
	Approvers []string `json:"approvers,omitempty"`
	// Windows, when set, are when the key signs (UTC), such as "mon-fri 08:00-18:00" or
	// "22:00-02:00"; requests and approvals at other times are refused (422).
	Windows []string `json:"windows,omitempty"`
}

// CreateSigningKeyRequest is the body of POST /signing-keys.
type CreateSigningKeyRequest struct {
	Name  string `json:"name"`
	Team  string `json:"team"`
	CAID  string `json:"ca_id"`
	Usage string `json:"usage,omitempty"` // code (default) or timestamp
	// KeyAlgorithm is ecdsa-p256 (default), ecdsa-p384 or rsa-3072.
	KeyAlgorithm string        `json:"key_algorithm,omitempty"`
	CommonName   string        `json:"common_name"`
	ValidityDays int           `json:"validity_days,omitempty"` // default 365
	Policy       SigningPolicy `json:"policy"`
}

// SigningKey is a signing key as its stream has it.
type SigningKey struct {
	ID           string        `json:"id"`
	Name         string        `json:"name"`
	Team         string        `json:"team"`
	Usage        string        `json:"usage"`
	KeyAlgorithm string        `json:"key_algorithm"`
	Status       string        `json:"status"`
	CAID         string        `json:"ca_id"`
	Serial       string        `json:"serial"`
	NotBefore    time.Time     `json:"not_before"`
	NotAfter     time.Time     `json:"not_after"`
	Policy       SigningPolicy `json:"policy"`
	// Certificate is the key's certificate, Chain the CAs above it up to the root, in PEM.
	Certificate string `json:"certificate"`
	Chain       string `json:"chain"`
	// SuccessorID is the key that replaced this one once it is rotated.
	SuccessorID string `json:"successor_id,omitempty"`
	Revision    uint64 `json:"revision"`
}

// SignDigestRequest is the body of POST /signing-keys/{id}/signatures: the artifact's digest,
// never the artifact.
type SignDigestRequest struct {
	// Digest is the artifact's digest in hexadecimal; for kind authenticode, the PE image hash.
	Digest          string `json:"digest"`
	DigestAlgorithm string `json:"digest_algorithm"`
	// Kind is cms (default, a detached SignedData) or authenticode (a Windows PE's signature).
	Kind string `json:"kind,omitempty"`
	// Content is, for authenticode only, the PE's SpcIndirectDataContent (DER, base64).
	Content  []byte            `json:"content,omitempty"`
	Artifact string            `json:"artifact"`
	Metadata map[string]string `json:"metadata,omitempty"`
}

// SignatureRequest is a signature request as its stream has it; Signature and CMS are set
// once it is signed.
type SignatureRequest struct {
	ID                string            `json:"id"`
	KeyID             string            `json:"key_id"`
	Status            string            `json:"status"` // pending_approval, signed, refused, voided
	Artifact          string            `json:"artifact"`
	Kind              string            `json:"kind"` // cms or authenticode
	Digest            string            `json:"digest"`
	DigestAlgorithm   string            `json:"digest_algorithm"`
	Metadata          map[string]string `json:"metadata,omitempty"`
	RequestedBy       string            `json:"requested_by"`
	RequestedAt       time.Time         `json:"requested_at"`
	ApprovalsRequired int               `json:"approvals_required"`
	Approvers         []string          `json:"approvers"`
	// Signature is the raw signature over the CMS signed attributes; CMS the SignedData (DER):
	// detached for kind cms, what `openssl cms -verify -binary -inform DER` checks; for kind
	// authenticode what `osslsigncode attach-signature -sigin` attaches. Both base64.
	Signature     []byte     `json:"signature,omitempty"`
	CMS           []byte     `json:"cms,omitempty"`
	SignedAt      *time.Time `json:"signed_at,omitempty"`
	RefusalReason string     `json:"refusal_reason,omitempty"`
	Revision      uint64     `json:"revision"`
}

// PendingSignatures is the answer of GET /pending-signatures: the signature requests waiting
// for approval, oldest first, from the read model. They carry no signature; Revision is the
// request stream's revision, which each approval moves on by one.
type PendingSignatures struct {
	Items []SignatureRequest `json:"items"`
}
