// Package hsm holds the ledger's signing keys in a PKCS#11 token through
// github.com/ThalesGroup/crypto11. In the default mode and in tests the token is a SoftHSMv2
// token under a private SOFTHSM2_CONF (see ProvisionSoftHSM); in production it is any PKCS#11
// module named by Config.
//
// Invariants:
//   - At most one crypto11 Context is live per process. Open refuses a second one with
//     ErrAlreadyOpen until the first HSM is closed: a PKCS#11 library is initialised once per
//     process, a failed Configure finalises it under every live context, and a second login to
//     a token that is already logged in succeeds whatever PIN it is given.
//   - Everything that can be checked before crypto11.Configure is checked first (the module
//     file exists, the config is complete), so a bad config fails without touching the library.
//   - The session pool is bounded explicitly (Config.MaxSessions, default runtime.NumCPU()+1):
//     crypto11's default of 1024 halves RSA throughput on SoftHSM.
//   - Keys are generated inside the token with CKA_TOKEN=true, CKA_PRIVATE=true,
//     CKA_SENSITIVE=true and CKA_EXTRACTABLE=false set explicitly, a fresh random 16-byte CKA_ID
//     and a unique CKA_LABEL. They are signing keys only (no decrypt, no derive). Private key
//     material never leaves the token; KeyProtection reads the attributes back to prove it.
//   - The PIN never appears in an error, a log line or a formatted Config: Config redacts it in
//     String, Format, LogValue and JSON, and no error built here includes it.
//   - Lookups are typed: an unknown label is ErrKeyNotFound, a taken label ErrKeyExists, a wrong
//     PIN ErrWrongPIN, an unknown token ErrTokenNotFound, a missing module ErrModuleNotFound, all
//     matchable with errors.Is.
//   - Signers are found once per label and cached (safe for concurrent use), so hot paths such
//     as OCSP signing do not search the token on every request. Close is idempotent.
//   - Every signature made through a signer from Signer is counted per key label (Signatures),
//     so a test can compare the signatures a key made with what the ledger recorded.
//
// Signing: ECDSA signatures are ASN.1 DER; RSA signatures are PKCS#1 v1.5 for certificates,
// CRLs and OCSP responses. RSA-PSS works only with an explicit salt length
// (rsa.PSSSaltLengthEqualsHash): crypto11 rejects rsa.PSSSaltLengthAuto. Ed25519 is parsed as
// an algorithm name but GenerateKey reports ErrUnsupportedAlgorithm: crypto11 v1.6.2 has no
// EdDSA key type, even where the token (SoftHSM 2.6 does) offers CKM_EDDSA.
package hsm
