package domain

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"math/big"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// Bounds of a signature request's free text.
const (
	MaxArtifactNameLen = 1024
	MaxMetadataEntries = 32
	maxMetadataKeyLen  = 64
)

// SignatureInput is what a signature request decides on. Kind is "" or cms (a detached
// signature over Digest) or authenticode, whose Content is the PE's SpcIndirectDataContent
// holding Digest, its image hash.
type SignatureInput struct {
	RequestID       string
	Kind            string
	Digest          []byte
	DigestAlgorithm string
	Content         []byte
	Artifact        string
	Metadata        map[string]string
}

// Request decides a new request to sign in.Digest with key. Every check is made here, before
// anything is recorded: the key can sign now, the requester is allowed by its policy, the
// digest algorithm is allowed (SHA-1 and MD5 never are), the digest has its length, an
// Authenticode request's content holds that digest, and now is within the policy's windows.
func (r *SignatureRequest) Request(in SignatureInput, key *SigningKey, by Actor, at time.Time) ([]Event, error) {
	if key == nil || !key.Exists() {
		return nil, notFoundf("signing key does not exist")
	}
	override, err := authorize(by, key.Policy().allowsRequester(by), "sign with key "+key.ID())
	if err != nil {
		return nil, err
	}
	if r.Exists() {
		return nil, conflictf("signature request %s exists already", r.ID())
	}
	alg, err := ParseDigestAlgorithm(in.DigestAlgorithm)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(key.Policy().DigestAlgorithms, alg) {
		return nil, violations(KindPolicy, "digest algorithm refused", []Violation{violation("digest_algorithm",
			"not_allowed", "signing key %s accepts %v, not %s", key.ID(), key.Policy().DigestAlgorithms, alg)})
	}
	if err := checkSignatureInput(in, alg); err != nil {
		return nil, err
	}
	kind, err := ParseSignatureKind(in.Kind)
	if err != nil {
		return nil, err
	}
	if err := checkContent(kind, in.Content, in.Digest, alg); err != nil {
		return nil, err
	}
	if err := key.CheckCanSign(at); err != nil {
		return nil, err
	}
	if err := key.Policy().checkWindow(key.ID(), "sign", at); err != nil {
		return nil, err
	}
	return []Event{SignatureRequested{RequestID: in.RequestID, KeyID: key.ID(), Kind: kind, Digest: slices.Clone(in.Digest),
		DigestAlgorithm: alg, Content: slices.Clone(in.Content), Artifact: in.Artifact, Metadata: in.Metadata, RequestedBy: by.Subject, Team: by.Team,
		ApprovalsRequired: key.Policy().Approvals, RequestedAt: at.UTC(), Override: override}}, nil
}

func checkSignatureInput(in SignatureInput, alg DigestAlgorithm) error {
	if _, err := uuid.Parse(in.RequestID); err != nil {
		return invalidf("signature request id %q is not a UUID", in.RequestID)
	}
	if err := alg.CheckDigest(in.Digest); err != nil {
		return err
	}
	if in.Artifact == "" || len(in.Artifact) > MaxArtifactNameLen || !utf8.ValidString(in.Artifact) {
		return invalidf("the artifact name must be 1 to %d bytes of UTF-8", MaxArtifactNameLen)
	}
	if len(in.Metadata) > MaxMetadataEntries {
		return invalidf("metadata has %d entries, more than %d", len(in.Metadata), MaxMetadataEntries)
	}
	for k, v := range in.Metadata {
		if k == "" || len(k) > maxMetadataKeyLen || len(v) > maxTextLen {
			return invalidf("metadata %q: keys are 1 to %d bytes, values at most %d", k, maxMetadataKeyLen, maxTextLen)
		}
	}
	return nil
}

// Approve decides one approval of a pending request: by a SEC_OPS approver the key's policy
// allows, never the requester, once per approver. The key must still be able to sign, within
// its policy's windows.
func (r *SignatureRequest) Approve(key *SigningKey, by Actor, at time.Time) ([]Event, error) {
	if err := r.checkPending("approve"); err != nil {
		return nil, err
	}
	if key == nil || !key.Exists() || key.ID() != r.req.KeyID {
		return nil, notFoundf("signing key %s of request %s does not exist", r.req.KeyID, r.ID())
	}
	switch {
	case by.Subject == "" || !key.Policy().allowsApprover(by):
		return nil, forbiddenf("approve signature: %s may not approve for key %s (roles %v)", by.Subject, key.ID(), by.Roles)
	case by.Subject == r.req.RequestedBy:
		return nil, forbiddenf("approve signature: %s requested it and may not approve it", by.Subject)
	case slices.Contains(r.Approvers(), by.Subject):
		return nil, conflictf("approve signature: %s approved request %s already", by.Subject, r.ID())
	}
	if err := key.CheckCanSign(at); err != nil {
		return nil, err
	}
	if err := key.Policy().checkWindow(key.ID(), "approve", at); err != nil {
		return nil, err
	}
	return []Event{SignatureApproved{RequestID: r.ID(), ApprovedBy: by.Subject, ApprovedAt: at.UTC()}}, nil
}

// Refuse decides that a pending request will not be signed; SEC_OPS, with a reason.
func (r *SignatureRequest) Refuse(reason string, by Actor, at time.Time) ([]Event, error) {
	if _, err := authorizeRejection(by); err != nil {
		return nil, err
	}
	if err := r.checkPending("refuse"); err != nil {
		return nil, err
	}
	if reason == "" || len(reason) > maxTextLen {
		return nil, invalidf("a refusal needs a reason of 1 to %d bytes", maxTextLen)
	}
	return []Event{SignatureRefused{RequestID: r.ID(), RefusedBy: by.Subject, Reason: reason, RefusedAt: at.UTC()}}, nil
}

func (r *SignatureRequest) checkPending(action string) error {
	if !r.Exists() {
		return notFoundf("cannot %s: signature request does not exist", action)
	}
	if r.status != SignatureStatusPending {
		return conflictf("cannot %s signature request %s: it is %s", action, r.ID(), r.status)
	}
	return nil
}

// PrepareSign announces the signature of a ready request: key signs digest (the digest of the
// CMS signed attributes, with hash) under the id serial.
func (r *SignatureRequest) PrepareSign(key *SigningKey, digest []byte, hash crypto.Hash, serial *big.Int, at time.Time) (Prepared, error) {
	if !r.Ready() {
		return Prepared{}, conflictf("signature request %s is %s with %d of %d approvals", r.ID(), r.status,
			len(r.approvals), r.req.ApprovalsRequired)
	}
	if err := key.CheckCanSign(at); err != nil {
		return Prepared{}, err
	}
	p := Prepared{Digest: slices.Clone(digest), Hash: hash, SignerLabel: key.HSMKeyLabel()}
	return r.signing.announce(p, SigningStarted{Subject: r.ID(), CAID: key.ID(), Serial: serial.Text(16),
		Purpose: PurposeArtifact}, at)
}

// RecordSignature decides the record of the signature announced as serial: sig must be
// key's valid signature over digest, and cmsDER the SignedData built around it.
func (r *SignatureRequest) RecordSignature(key *SigningKey, serial string, digest, sig, cmsDER []byte, hash crypto.Hash, at time.Time) ([]Event, error) {
	if err := r.signing.check(serial); err != nil {
		return nil, err
	}
	if !r.Ready() {
		return nil, conflictf("signature request %s is %s", r.ID(), r.status)
	}
	if !verifySignature(key.Certificate().PublicKey, digest, sig, hash) {
		return nil, invalidf("the signature does not verify under signing key %s", key.ID())
	}
	return []Event{ArtifactSigned{RequestID: r.ID(), KeyID: key.ID(), Kind: r.req.Kind, Artifact: r.req.Artifact,
		Digest: slices.Clone(r.req.Digest), DigestAlgorithm: r.req.DigestAlgorithm, Serial: serial, CertificateSerial: key.Serial(),
		Signature: slices.Clone(sig), CMS: cmsDER, SignedAt: at.UTC()}}, nil
}

// verifySignature checks an ECDSA (ASN.1) or RSA PKCS #1 v1.5 signature over digest.
func verifySignature(pub crypto.PublicKey, digest, sig []byte, hash crypto.Hash) bool {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		return ecdsa.VerifyASN1(k, digest, sig)
	case *rsa.PublicKey:
		return rsa.VerifyPKCS1v15(k, hash, digest, sig) == nil
	}
	return false
}
