package ocsp

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/certledger/certledger/domain"
)

// StatusSource looks up certificate statuses; the PKI read model implements it. The status of
// a serial the source has no record of is domain.SerialUnknown, not an error.
type StatusSource interface {
	Status(ctx context.Context, issuerID string, serial *big.Int) (domain.SerialStatus, error)
}

// Issuer is a CA the responder answers for, with its delegated responder certificate and key.
type Issuer struct {
	ID            string
	Certificate   *x509.Certificate
	ResponderCert *x509.Certificate // signed by Certificate, with id-kp-OCSPSigning
	Signer        crypto.Signer     // the responder certificate's key, in the HSM
}

// Answer is a DER OCSP response and how long it may be cached.
type Answer struct {
	DER                    []byte
	ThisUpdate, NextUpdate time.Time // zero for unsigned error responses
}

// Responder answers OCSP requests from pre-signed responses, signing on a miss, when a cached
// response is past half its validity, and for every request that carries a nonce.
type Responder struct {
	source   StatusSource
	validity time.Duration
	now      func() time.Time

	mu      sync.RWMutex
	issuers map[string]*issuer // by hash algorithm and issuer key hash, see issuerKey
	byID    map[string]*issuer
	cache   map[cacheKey]Answer
}

type issuer struct {
	id         string
	nameHashes map[crypto.Hash][]byte
	keyHashes  map[crypto.Hash][]byte
	key        *signingKey
	responder  []byte // the responder certificate's DER, to notice a renewed one
}

type cacheKey struct {
	issuerID string
	hash     crypto.Hash
	serial   string
}

// NewResponder makes a responder whose responses are valid for validity (nextUpdate − thisUpdate).
func NewResponder(source StatusSource, validity time.Duration) *Responder {
	return &Responder{source: source, validity: validity, now: time.Now,
		issuers: map[string]*issuer{}, byID: map[string]*issuer{}, cache: map[cacheKey]Answer{}}
}

var requestHashes = []crypto.Hash{crypto.SHA1, crypto.SHA256, crypto.SHA384, crypto.SHA512}

// serves tells whether the responder answers for iss with its current responder certificate.
func (r *Responder) serves(iss Issuer) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, is := range r.issuers {
		if is.id == iss.ID {
			return bytes.Equal(is.responder, iss.ResponderCert.Raw)
		}
	}
	return false
}

// AddIssuer lets the responder answer for a CA, or replaces its responder certificate.
func (r *Responder) AddIssuer(iss Issuer) error {
	key, err := newSigningKey(iss.Signer, iss.ResponderCert)
	if err != nil {
		return fmt.Errorf("OCSP issuer %s: %w", iss.ID, err)
	}
	var spki struct {
		Algorithm asn1.RawValue
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(iss.Certificate.RawSubjectPublicKeyInfo, &spki); err != nil {
		return fmt.Errorf("OCSP issuer %s: public key: %w", iss.ID, err)
	}
	is := &issuer{id: iss.ID, nameHashes: map[crypto.Hash][]byte{}, keyHashes: map[crypto.Hash][]byte{},
		key: key, responder: iss.ResponderCert.Raw}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, h := range requestHashes {
		is.nameHashes[h] = digest(h, iss.Certificate.RawSubject)
		is.keyHashes[h] = digest(h, spki.PublicKey.RightAlign())
		r.issuers[issuerKey(h, is.keyHashes[h])] = is
	}
	r.byID[iss.ID] = is
	return nil
}

func digest(h crypto.Hash, b []byte) []byte {
	d := h.New()
	d.Write(b)
	return d.Sum(nil)
}

// issuerKey indexes issuers by the hash algorithm of a request and the issuer key hash in it.
func issuerKey(h crypto.Hash, keyHash []byte) string {
	return string([]byte{byte(h)}) + string(keyHash)
}

// Respond answers one DER request. Malformed requests and CAs it does not serve get the unsigned
// malformedRequest and unauthorized responses; a failed look-up gets internalError and an error.
func (r *Responder) Respond(ctx context.Context, der []byte) (Answer, error) {
	req, err := ParseRequest(der)
	if err != nil {
		return Answer{DER: malformedResponse}, nil
	}
	r.mu.RLock()
	is := r.issuers[issuerKey(req.Hash, req.CertID.IssuerKeyHash)]
	r.mu.RUnlock()
	if is == nil || !bytes.Equal(is.nameHashes[req.Hash], req.CertID.NameHash) {
		return Answer{DER: unauthorizedResponse}, nil
	}
	if req.Nonce == nil {
		if cached, ok := r.cached(is.id, req.Hash, req.CertID.SerialNumber); ok {
			return cached, nil
		}
	}
	return r.answer(ctx, is, req.Hash, req.CertID, req.Nonce)
}

// cached returns a cached answer that is less than half its validity old.
func (r *Responder) cached(issuerID string, h crypto.Hash, serial *big.Int) (Answer, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	a, ok := r.cache[cacheKey{issuerID: issuerID, hash: h, serial: string(serial.Bytes())}]
	return a, ok && r.now().Before(a.ThisUpdate.Add(r.validity/2))
}

// answer looks the certificate up, signs the answer and, without a nonce, caches it.
func (r *Responder) answer(ctx context.Context, is *issuer, h crypto.Hash, id certID, nonce []byte) (Answer, error) {
	st, err := r.source.Status(ctx, is.id, id.SerialNumber)
	if err != nil {
		return Answer{DER: internalErrorResponse}, fmt.Errorf("OCSP status of serial %x: %w", id.SerialNumber, err)
	}
	now := r.now()
	thisUpdate := now.Truncate(time.Second)
	a := Answer{ThisUpdate: thisUpdate, NextUpdate: thisUpdate.Add(r.validity)}
	a.DER, err = is.key.sign(id, status{kind: st.Kind, revokedAt: st.RevokedAt, reason: st.Reason,
		thisUpdate: a.ThisUpdate, nextUpdate: a.NextUpdate}, nonce, now)
	if err != nil {
		return Answer{DER: internalErrorResponse}, err
	}
	if nonce == nil && st.Kind != domain.SerialUnknown {
		r.mu.Lock()
		r.cache[cacheKey{issuerID: is.id, hash: h, serial: string(id.SerialNumber.Bytes())}] = a
		r.mu.Unlock()
	}
	return a, nil
}

// RefreshStale re-signs up to limit cached answers that are past half their validity, so that a
// cached answer is replaced well before its nextUpdate whether or not anyone asks for it, and
// returns how many it re-signed.
func (r *Responder) RefreshStale(ctx context.Context, limit int) int {
	type stale struct {
		key cacheKey
		is  *issuer
	}
	var todo []stale
	r.mu.RLock()
	now := r.now()
	for k, a := range r.cache {
		if len(todo) == limit {
			break
		}
		if is := r.byID[k.issuerID]; is != nil && k.hash == crypto.SHA1 && !now.Before(a.ThisUpdate.Add(r.validity/2)) {
			todo = append(todo, stale{k, is})
		}
	}
	r.mu.RUnlock()
	for _, s := range todo {
		_ = r.Presign(ctx, s.is.id, new(big.Int).SetBytes([]byte(s.key.serial)))
	}
	return len(todo)
}

// Presign signs and caches the answer for a certificate ahead of any request, for certificate
// ids hashed with SHA-1, the form clients such as openssl send by default. The OCSP follower
// calls it for every issued and every revoked certificate.
func (r *Responder) Presign(ctx context.Context, issuerID string, serial *big.Int) error {
	r.mu.RLock()
	is := r.byID[issuerID]
	r.mu.RUnlock()
	if is == nil {
		return fmt.Errorf("OCSP: no issuer %s to presign for", issuerID)
	}
	id := certID{HashAlgorithm: pkix.AlgorithmIdentifier{Algorithm: oidSHA1, Parameters: asn1.NullRawValue},
		NameHash: is.nameHashes[crypto.SHA1], IssuerKeyHash: is.keyHashes[crypto.SHA1], SerialNumber: serial}
	_, err := r.answer(ctx, is, crypto.SHA1, id, nil)
	return err
}

// Invalidate drops the cached responses for a certificate, so that the next request answers from
// the read model: called as soon as a revocation is projected.
func (r *Responder) Invalidate(issuerID string, serial *big.Int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, h := range requestHashes {
		delete(r.cache, cacheKey{issuerID: issuerID, hash: h, serial: string(serial.Bytes())})
	}
}
