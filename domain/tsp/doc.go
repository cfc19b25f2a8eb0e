// Package tsp holds the RFC 3161 structures of the ledger's time-stamp authority: the
// TimeStampReq a client sends (ParseRequest, on github.com/digitorus/timestamp), the TSTInfo
// the TSA signs (TSTInfo.Marshal) and the TimeStampResp it answers with (Granted, Rejection).
// The token itself, the SignedData around the TSTInfo, is built by domain/cms in two steps so
// that the ledger's signing rule holds: the serial and every signed byte are fixed, and the
// intent naming the serial recorded, before the HSM signs. The library's own CreateResponse
// is not used for that reason: it draws the serial and signs inside one call.
//
// Invariants:
//   - A request is accepted only as version 1 with a SHA-256, SHA-384 or SHA-512 imprint of
//     its algorithm's length, no extensions, and no policy or the TSA's: anything else is a
//     *Failure carrying the RFC 3161 failure info to answer with (badAlg for SHA-1, MD5 or an
//     unknown algorithm, badDataFormat for bytes that are no request or an imprint of the wrong
//     length, unacceptedPolicy, unacceptedExtension, badRequest).
//   - A TSTInfo is version 1, with genTime in UTC to the second (accuracy says one second),
//     ordering false, the request's nonce echoed and the TSA named by its certificate's subject.
//   - Nothing here signs, reads a clock or talks to an HSM.
package tsp
