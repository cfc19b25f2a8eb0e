// Package enroll holds what the enrollment protocols beside the REST API — ACME (api/acme),
// EST (api/est) and SCEP (api/scep) — share: how their endpoints, each a CA and a profile served
// under a name, are checked when ledgerd reads its configuration.
//
// Invariant: a name that passes CheckEndpoints is one path segment of lower-case letters,
// digits, '.', '_' and '-' (at most 63), so it needs no escaping in a URL or a log line.
package enroll
