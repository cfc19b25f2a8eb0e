// Package tlsscan finds the certificates TLS endpoints serve: it connects to each target,
// runs a TLS handshake with the name the target is to be asked for (SNI), and returns the
// chain exactly as the endpoint sent it, with the protocol version and cipher suite agreed.
// It is the network half of discovery; what a chain means (managed, known external, shadow,
// weak) is decided by the ledger, not here.
//
// Invariants:
//   - Nothing a peer sends can crash a scan: every target ends in one Result, either with a
//     chain or with an Outcome saying what went wrong (refused, timed out, not TLS, handshake
//     failed, chain too large, ...). A scan never stops early for one bad endpoint.
//   - No verification: the chain is captured, not trusted. The handshake accepts any
//     certificate and any version from TLS 1.0 up, including weak cipher suites, because a
//     discovery scan has to see the weak servers too. It never sends application data.
//   - Bounded: at most Scanner.Concurrency connections are open at once, each lives at most
//     Scanner.Timeout from dial to the end of the handshake, a chain larger than the Go TLS
//     client's certificate-message limit (256 KiB) or longer than MaxChain certificates is a
//     ChainTooLarge outcome, and target lists are capped (ParseTargets' limit) before any
//     connection is made.
//   - Results are reported as they come, from one goroutine at a time, so a caller can write
//     them to a store without locking; Summary counts them by outcome.
package tlsscan
