package domain

import (
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
)

// checkJoinTokenInput lists every problem with a join token's mint request.
func checkJoinTokenInput(in JoinTokenInput) error {
	var vs []Violation
	if _, err := uuid.Parse(in.AgentID); err != nil {
		vs = append(vs, violation("agent_id", "uuid", "agent id %q is not a UUID", in.AgentID))
	}
	if in.Team == "" || len(in.Team) > 64 {
		vs = append(vs, violation("team", "required", "an agent needs a team of at most 64 bytes"))
	}
	if _, err := uuid.Parse(in.CAID); err != nil {
		vs = append(vs, violation("ca_id", "uuid", "the agent CA id %q is not a UUID", in.CAID))
	}
	if in.Profile == "" {
		vs = append(vs, violation("profile", "required", "the agents' certificate profile is required"))
	}
	if utf8.RuneCountInString(in.Name) > maxAgentField {
		vs = append(vs, violation("name", "too_long", "the name is longer than %d characters", maxAgentField))
	}
	if in.TTL < MinJoinTokenTTL || in.TTL > MaxJoinTokenTTL {
		vs = append(vs, violation("ttl", "range", "a join token lifetime of %s is not between %s and %s", in.TTL, MinJoinTokenTTL, MaxJoinTokenTTL))
	}
	if len(in.SecretSHA256) != 64 || strings.Trim(in.SecretSHA256, "0123456789abcdef") != "" {
		vs = append(vs, violation("secret_sha256", "syntax", "the secret's hash is not 64 lower-case hex digits"))
	}
	return violations(KindInvalid, "invalid join token", vs)
}

// checkReport bounds what an agent reports of itself.
func checkReport(host, version, state string) error {
	for _, f := range []string{host, version, state} {
		if utf8.RuneCountInString(f) > maxAgentField || f == "" {
			return invalidf("an agent's host, version and state are 1 to %d characters", maxAgentField)
		}
	}
	return nil
}
