package reports_test

import (
	"fmt"
	"time"

	"github.com/google/uuid"
)

// mixed is a ledger of mixed data: three teams and certificates without one, a priced public
// CA and a free internal one, two profiles, keys RSA-2048, RSA-1024 and P-256, SHA-1
// signatures, wildcards, long validities, missing owners, and every status.
type mixed struct {
	public, internal uuid.UUID
	longProfile      uuid.UUID
	issued           []uuid.UUID // certificates left issued by the first phase, with their CA
	issuedCA         []uuid.UUID
}

var (
	mixedTeams    = []string{"web", "pay", "ops", ""}
	mixedKeys     = []string{"rsa", "weak", "ec"}
	mixedOutcomes = []string{"revoke", "renew", "expire", "pending", "approved", "", "", "", ""}
)

// fillMixed appends the first phase: CAs, profiles and 120 certificates around now.
func fillMixed(l *ledger, now time.Time) *mixed {
	m := &mixed{public: l.ca("Public CA"), internal: l.ca("Internal CA"), longProfile: uuid.New()}
	l.profile(uuid.New(), "web", 90, false, false)
	l.profile(m.longProfile, "long", 825, true, false)
	for i := range 120 {
		c := cert{ca: m.public, team: mixedTeams[i%4], owner: fmt.Sprintf("owner-%d@example.com", i%3), prof: "web",
			key: mixedKeys[i%3], sha1: i%7 == 0, name: fmt.Sprintf("host-%d.example.com", i), days: 90,
			then: mixedOutcomes[i%9]}
		if i%2 == 1 {
			c.ca, c.prof = m.internal, "long"
		}
		if i%5 == 0 {
			c.name = fmt.Sprintf("*.zone-%d.example.com", i)
		}
		if i%6 == 0 {
			c.days = 400
		}
		if i%8 == 0 {
			c.owner = ""
		}
		// not_after from 60 days ago to about 400 days ahead; issued this year or the last.
		c.notBefore = now.Add(-time.Duration(c.days)*24*time.Hour + time.Duration(i*83-1440)*3*time.Hour).Truncate(time.Second)
		c.requestedAt = now.AddDate(0, 0, -(i % 12)).Truncate(time.Second)
		c.issuedAt = c.notBefore
		id := l.certificate(c)
		if c.then == "" {
			m.issued, m.issuedCA = append(m.issued, id), append(m.issuedCA, c.ca)
		}
	}
	return m
}

// moreMixed appends the second phase, on certificates the read models already have: some
// revocations, and the long profile now forbids wildcards and allows 200 days at most.
func moreMixed(l *ledger, m *mixed) {
	for i := 3; i < len(m.issued); i += 7 {
		l.revoke(m.issuedCA[i], m.issued[i])
	}
	l.profile(m.longProfile, "long", 200, false, true)
}
