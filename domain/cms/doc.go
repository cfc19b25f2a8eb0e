// Package cms builds CMS (RFC 5652) detached SignedData for a digest the client computed:
// the ledger never sees the artifact, only its digest, so the messageDigest attribute is
// taken as given and the key signs the signed attributes. It is the format `openssl cms
// -verify -binary` checks against the artifact, and what code signing answers with.
//
// Building is split in two so that a command can record what it will sign before the HSM
// signs it (the ledger's signing rule): NewDetached fixes every signed attribute and
// returns the bytes to sign; Finish takes the signature and encodes the SignedData, with
// optional unsigned attributes such as an RFC 3161 timestamp token. NewEncapsulated is the
// same with the content inside (version 3): an RFC 3161 time-stamp token, whose TSTInfo is
// the content and whose signer SigningCertificateV2 names. NewAuthenticode is the
// Authenticode signature of a Windows PE: its content is the SpcIndirectDataContent (the
// PE image's hash, from `osslsigncode extract-data`), never the PE.
//
// Invariants:
//   - Only SHA-256, SHA-384 and SHA-512; a digest of the wrong length for its algorithm is
//     refused. ECDSA and RSA (PKCS #1 v1.5) signing keys.
//   - The signed attributes are contentType (id-data, or the encapsulated content's type),
//     messageDigest, signingTime and any extra ones given, DER encoded as a SET OF sorted by encoding, as RFC 5652 §5.4 requires; the signature
//     covers exactly SignedAttributes(), the bytes NewDetached returned.
//   - The signer is identified by issuer and serial number (SignerInfo version 1), and the
//     certificates carried are the signer's and its chain as given, leaf first (none for an
//     encapsulated SignedData built without them).
//   - An Authenticode SignedData is version 1 with its SpcIndirectDataContent carried as
//     itself (PKCS #7 v1.5), and its messageDigest is over that content's value without the
//     SEQUENCE tag and length; only SPC_PE_IMAGE_DATA content with an accepted hash.
//   - Encoding uses encoding/asn1 only; nothing here signs or talks to an HSM.
package cms
