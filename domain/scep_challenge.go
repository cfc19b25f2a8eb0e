package domain

import (
	"crypto/subtle"
	"fmt"
	"time"
)

// Bounds of a SCEP challenge password's life.
const (
	MinSCEPChallengeTTL = time.Minute
	MaxSCEPChallengeTTL = 30 * 24 * time.Hour
)

// SCEPChallengeIssued records a one-time SCEP challenge password (RFC 8894 §3.3.1) for one
// provisioner and the team its certificate is for. The stream keeps the SHA-256 of the
// password, never the password.
type SCEPChallengeIssued struct {
	ChallengeID  string    `json:"challenge_id"`
	Provisioner  string    `json:"provisioner"`
	Team         string    `json:"team"`
	SecretSHA256 string    `json:"secret_sha256"`
	ExpiresAt    time.Time `json:"expires_at"`
	IssuedAt     time.Time `json:"issued_at"`
}

// SCEPChallengeUsed records that a challenge password enrolled a certificate: it never
// enrolls another.
type SCEPChallengeUsed struct {
	ChallengeID   string    `json:"challenge_id"`
	CertificateID string    `json:"certificate_id"`
	UsedAt        time.Time `json:"used_at"`
}

// EventType returns TypeSCEPChallengeIssued.
func (SCEPChallengeIssued) EventType() string { return TypeSCEPChallengeIssued }

// EventType returns TypeSCEPChallengeUsed.
func (SCEPChallengeUsed) EventType() string { return TypeSCEPChallengeUsed }

// Aggregate returns the challenge.
func (e SCEPChallengeIssued) Aggregate() AggregateRef { return scepChallengeRef(e.ChallengeID) }

// Aggregate returns the challenge.
func (e SCEPChallengeUsed) Aggregate() AggregateRef { return scepChallengeRef(e.ChallengeID) }

func scepChallengeRef(id string) AggregateRef {
	return AggregateRef{Category: CategorySCEPChallenge, ID: id}
}

// SCEPChallenge is a challenge password folded from its stream: issued once, used at most once.
type SCEPChallenge struct {
	issued  *SCEPChallengeIssued
	used    *SCEPChallengeUsed
	version int
}

// NewSCEPChallengeFromHistory folds a challenge's events.
func NewSCEPChallengeFromHistory(history []Event) (*SCEPChallenge, error) {
	c := &SCEPChallenge{}
	for _, e := range history {
		switch e := e.(type) {
		case SCEPChallengeIssued:
			if c.issued != nil {
				return nil, fmt.Errorf("apply SCEPChallengeIssued %q: issued twice", e.ChallengeID)
			}
			c.issued = &e
		case SCEPChallengeUsed:
			if c.issued == nil || c.used != nil {
				return nil, fmt.Errorf("apply SCEPChallengeUsed %q: not issued, or used before", e.ChallengeID)
			}
			c.used = &e
		default:
			return nil, fmt.Errorf("apply %s to a SCEP challenge: not a challenge event", e.EventType())
		}
		c.version++
	}
	return c, nil
}

// Exists reports whether the challenge was issued.
func (c *SCEPChallenge) Exists() bool { return c.issued != nil }

// Version is the number of events applied.
func (c *SCEPChallenge) Version() int { return c.version }

// IssueSCEPChallenge decides a new challenge: SEC_OPS or ADMIN issue it, for a team, for ttl.
func IssueSCEPChallenge(id, provisioner, team, secretSHA256 string, ttl time.Duration, actor Actor, at time.Time) ([]Event, error) {
	if _, err := authorize(actor, actor.Has(RoleSecOps), "issue a SCEP challenge password"); err != nil {
		return nil, err
	}
	switch {
	case provisioner == "":
		return nil, invalidf("a SCEP challenge needs a provisioner")
	case team == "":
		return nil, invalidf("a SCEP challenge needs the team its certificate is for")
	case ttl < MinSCEPChallengeTTL || ttl > MaxSCEPChallengeTTL:
		return nil, invalidf("a SCEP challenge lives from %s to %s, not %s", MinSCEPChallengeTTL, MaxSCEPChallengeTTL, ttl)
	case len(secretSHA256) != 64:
		return nil, invalidf("the challenge's secret hash is not a hex SHA-256")
	}
	return []Event{SCEPChallengeIssued{ChallengeID: id, Provisioner: provisioner, Team: team, SecretSHA256: secretSHA256,
		ExpiresAt: at.Add(ttl).UTC(), IssuedAt: at.UTC()}}, nil
}

// Use decides that the challenge, presented as secretSHA256 to provisioner, enrolls
// certificateID. A challenge that is unknown, for another provisioner, expired or used (for
// another certificate) is refused; using it again for the same certificate decides nothing new.
func (c *SCEPChallenge) Use(secretSHA256, provisioner, certificateID string, at time.Time) ([]Event, error) {
	switch {
	case c.issued == nil || subtle.ConstantTimeCompare([]byte(secretSHA256), []byte(c.issued.SecretSHA256)) != 1:
		return nil, forbiddenf("the challenge password is not one the ledger issued")
	case c.used != nil && c.used.CertificateID == certificateID:
		return nil, nil
	case c.used != nil:
		return nil, forbiddenf("the challenge password was used at %s; ask for a new one", c.used.UsedAt.Format(time.RFC3339))
	case c.issued.Provisioner != provisioner:
		return nil, forbiddenf("the challenge password is for SCEP provisioner %q", c.issued.Provisioner)
	case !at.Before(c.issued.ExpiresAt):
		return nil, forbiddenf("the challenge password expired at %s", c.issued.ExpiresAt.Format(time.RFC3339))
	}
	return []Event{SCEPChallengeUsed{ChallengeID: c.issued.ChallengeID, CertificateID: certificateID, UsedAt: at.UTC()}}, nil
}

// Team is the team the challenge's certificate is for.
func (c *SCEPChallenge) Team() string { return c.issued.Team }

// The SCEP event types, as stored: a name never changes.
const (
	TypeSCEPChallengeIssued = "SCEPChallengeIssued"
	TypeSCEPChallengeUsed   = "SCEPChallengeUsed"
)

var scepEvents = []EventSpec{specOf[SCEPChallengeIssued](), specOf[SCEPChallengeUsed]()}
