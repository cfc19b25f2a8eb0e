// Package scep serves the Simple Certificate Enrollment Protocol (RFC 8894) per provisioner at
// /scep/{provisioner}: GetCACaps, GetCACert and PKIOperation with PKCSReq, RenewalReq and
// GetCertInitial. A provisioner is a CA and a profile; the team a certificate is for is the
// one its challenge password was issued for. Requests are parsed and decrypted with
// github.com/smallstep/scep and answers built with github.com/smallstep/pkcs7, not with
// hand-written ASN.1.
//
// Invariants:
//   - Clients encrypt to the CA's SCEP RA certificate (GetCACert answers it first, with the CA
//     chain): an RSA key in the HSM, the only ledger key that decrypts; the CA keys only sign.
//     The ledger certifies the RA itself the first time it is needed, and again before it ends.
//   - A PKCSReq enrolls only with a challenge password the ledger issued for this provisioner
//     (one-time, hashed, short-lived: commands.IssueSCEPChallenge); a RenewalReq only when signed
//     with a certificate the ledger issued and holds as issued. Either goes through the ledger's
//     one certificate request (or renewal), under the profile's rules and approvals.
//   - The certificate's id is derived from the provisioner and the transaction id, so a client
//     repeating its request or polling it (GetCertInitial) after PENDING finds the same one.
//   - Every PKIOperation answer is a CertRep signed by the RA with SHA-256 (SUCCESS, PENDING or
//     FAILURE with a failInfo), the certificate encrypted with AES-128-CBC to the requester;
//     a request that fails appends nothing but what its refusal needs (a used challenge stays
//     used).
//
// The routes are not under /api/v1 and not in api/rest's openapi.json: their form is the RFC's.
package scep
