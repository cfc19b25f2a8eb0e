package crl

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Issuer is a CA whose CRLs are built: its certificate and its signing key.
type Issuer struct {
	// ID names the CA in URLs (/crl/{ID}.crl), in the Source and in the NumberStore.
	ID string
	// Certificate is the CA certificate; it must carry a subject key identifier and, when it has
	// a key usage, cRLSign.
	Certificate *x509.Certificate
	// Signer is the CA's private key, in the HSM in production.
	Signer crypto.Signer
	// Partitions, above 1, has the Service also publish the CA's CRL in that many partitions
	// (at most domain.MaxCRLPartitions): entry e goes to partition
	// domain.PartitionOf(e.Serial, Partitions), published at /crl/{ID}/p{k}.crl with a critical
	// Issuing Distribution Point naming domain.CRLPartitionURL(CRLURL, k), the URL the CA's
	// certificates carry. 0 or 1: the complete CRL only.
	Partitions int
	// CRLURL is the CA's complete CRL URL, as in the certificates it issues; partition URLs
	// derive from it. Empty means Config.BaseURL + "/crl/{ID}.crl".
	CRLURL string
}

// signingKey is an issuer's key with everything signing a CRL needs, worked out once.
type signingKey struct {
	signer    crypto.Signer
	hash      crypto.Hash
	algorithm []byte // DER AlgorithmIdentifier
	issuer    []byte // DER Name, the CA certificate's subject as it is encoded there
	keyID     []byte // the CA's subject key identifier, for the authority key identifier
}

// Signature algorithms (RFC 5758, RFC 4055), with the hash each signs.
var (
	oidECDSAWithSHA256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidECDSAWithSHA384 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}
	oidECDSAWithSHA512 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}
	oidSHA256WithRSA   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
)

// newSigningKey checks that iss can sign CRLs that relying parties accept.
func newSigningKey(iss Issuer) (*signingKey, error) {
	cert := iss.Certificate
	switch {
	case iss.ID == "":
		return nil, errors.New("CRL issuer without an id")
	case cert == nil || iss.Signer == nil:
		return nil, fmt.Errorf("CRL issuer %s: certificate and signer are both required", iss.ID)
	case len(cert.SubjectKeyId) == 0:
		return nil, fmt.Errorf("CRL issuer %s: certificate has no subject key identifier", iss.ID)
	case cert.KeyUsage != 0 && cert.KeyUsage&x509.KeyUsageCRLSign == 0:
		return nil, fmt.Errorf("CRL issuer %s: certificate key usage lacks cRLSign", iss.ID)
	}
	pub, ok := iss.Signer.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(cert.PublicKey) {
		return nil, fmt.Errorf("CRL issuer %s: signer's public key is not the certificate's", iss.ID)
	}
	k := &signingKey{signer: iss.Signer, issuer: cert.RawSubject, keyID: cert.SubjectKeyId}
	var oid asn1.ObjectIdentifier
	withNull := false
	switch key := iss.Signer.Public().(type) {
	case *ecdsa.PublicKey:
		switch key.Curve {
		case elliptic.P256():
			k.hash, oid = crypto.SHA256, oidECDSAWithSHA256
		case elliptic.P384():
			k.hash, oid = crypto.SHA384, oidECDSAWithSHA384
		case elliptic.P521():
			k.hash, oid = crypto.SHA512, oidECDSAWithSHA512
		default:
			return nil, fmt.Errorf("CRL issuer %s: unsupported curve %s", iss.ID, key.Curve.Params().Name)
		}
	case *rsa.PublicKey:
		k.hash, oid, withNull = crypto.SHA256, oidSHA256WithRSA, true
	default:
		return nil, fmt.Errorf("CRL issuer %s: unsupported key type %T", iss.ID, key)
	}
	b := cryptobyte.NewBuilder(nil)
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(oid)
		if withNull {
			b.AddASN1NULL()
		}
	})
	k.algorithm = b.BytesOrPanic()
	return k, nil
}

// maxOuterHeader is the longest CertificateList SEQUENCE header (4 length octets, up to 4 GiB).
const maxOuterHeader = 6

// sign builds the CertificateList around a TBSCertList made of prefix, the entry encodings in
// segments, and suffix: the TBS is written once into its final place, hashed, and signed once.
func (k *signingKey) sign(prefix []byte, segments [][]byte, suffix []byte) ([]byte, error) {
	entries := 0
	for _, seg := range segments {
		entries += len(seg)
	}
	if entries > 1<<31 {
		return nil, fmt.Errorf("%d bytes of CRL entries is more than a CRL can hold", entries)
	}
	var revoked []byte
	if entries > 0 { // RFC 5280 §5.1.2.6: with no entries the list is absent, not empty.
		revoked = appendHeader(nil, 0x30, entries)
	}
	body := len(prefix) + len(revoked) + entries + len(suffix)
	tbsHeader := appendHeader(nil, 0x30, body)
	out := make([]byte, maxOuterHeader, maxOuterHeader+len(tbsHeader)+body+len(k.algorithm)+1024)
	out = append(append(append(out, tbsHeader...), prefix...), revoked...)
	for _, seg := range segments {
		out = append(out, seg...)
	}
	out = append(out, suffix...)
	tbs := out[maxOuterHeader:]

	h := k.hash.New()
	h.Write(tbs)
	sig, err := k.signer.Sign(rand.Reader, h.Sum(nil), k.hash)
	if err != nil {
		return nil, fmt.Errorf("sign CRL: %w", err)
	}
	out = append(out, k.algorithm...)
	out = appendHeader(out, 0x03, len(sig)+1)
	out = append(append(out, 0), sig...) // no unused bits
	outer := appendHeader(nil, 0x30, len(out)-maxOuterHeader)
	start := maxOuterHeader - len(outer)
	copy(out[start:], outer)
	return out[start:], nil
}

// appendHeader appends a DER tag and definite length.
func appendHeader(b []byte, tag byte, n int) []byte {
	switch {
	case n < 0x80:
		return append(b, tag, byte(n))
	case n <= 0xff:
		return append(b, tag, 0x81, byte(n))
	case n <= 0xffff:
		return append(b, tag, 0x82, byte(n>>8), byte(n))
	case n <= 0xffffff:
		return append(b, tag, 0x83, byte(n>>16), byte(n>>8), byte(n))
	default:
		return append(b, tag, 0x84, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
}
