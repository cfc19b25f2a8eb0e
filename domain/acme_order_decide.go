package domain

import (
	"slices"
	"time"
)

// MaxACMEIdentifiers bounds the identifiers of one order.
const MaxACMEIdentifiers = 100

// ACMEChallengeTypes are the challenge types an authorization may offer.
var ACMEChallengeTypes = []string{"http-01", "dns-01", "tls-alpn-01"}

// ACMEOrderInput is a newOrder request with what the provisioner binds it to. Tokens are the
// challenge tokens, one per identifier, drawn by the caller (the domain draws no randomness).
type ACMEOrderInput struct {
	OrderID, AccountID, Provisioner, CAID, Team string
	Profile                                     *Profile
	Identifiers                                 []ACMEIdentifier
	Tokens                                      []string
	// Challenges are the challenge types each authorization offers ("http-01", "dns-01",
	// "tls-alpn-01"), all with the authorization's token.
	Challenges []string
}

// CreateOrder decides a new order: every identifier is a DNS name the profile allows (each
// refused one is a Violation of a KindPolicy error, before anything is recorded), and the actor
// may request certificates for the team in that profile.
func (o *ACMEOrder) CreateOrder(in ACMEOrderInput, by Actor, at time.Time) ([]Event, error) {
	if o.Exists() {
		return nil, conflictf("ACME order %s already exists", o.ID())
	}
	if len(in.Identifiers) == 0 || len(in.Identifiers) > MaxACMEIdentifiers {
		return nil, invalidf("an order needs between 1 and %d identifiers", MaxACMEIdentifiers)
	}
	if len(in.Challenges) == 0 || slices.ContainsFunc(in.Challenges, func(t string) bool { return !slices.Contains(ACMEChallengeTypes, t) }) {
		return nil, invalidf("challenge types %v: at least one of %v, and no other", in.Challenges, ACMEChallengeTypes)
	}
	if len(in.Tokens) != len(in.Identifiers) {
		return nil, invalidf("%d challenge tokens for %d identifiers", len(in.Tokens), len(in.Identifiers))
	}
	ids, vs := normalizeIdentifiers(in.Identifiers)
	for _, id := range ids {
		if id.Type == "dns" {
			vs = append(vs, in.Profile.checkDNSName(id.Value)...)
		}
	}
	if err := violations(KindPolicy, "identifiers refused by profile "+in.Profile.Name(), vs); err != nil {
		return nil, err
	}
	if _, err := authorizeRequest(by, in.Profile, in.Team); err != nil {
		return nil, err
	}
	authz := make([]ACMEAuthorization, len(ids))
	for i, id := range ids {
		authz[i] = ACMEAuthorization{Identifier: id}
		for _, t := range in.Challenges {
			authz[i].Challenges = append(authz[i].Challenges, ACMEChallenge{Type: t, Token: in.Tokens[i]})
		}
	}
	return []Event{ACMEOrderCreated{OrderID: in.OrderID, AccountID: in.AccountID, Provisioner: in.Provisioner,
		CAID: in.CAID, Profile: in.Profile.Name(), Team: in.Team, Identifiers: ids, Authorizations: authz,
		CreatedAt: at.UTC(), Expires: at.UTC().Add(ACMEOrderLifetime)}}, nil
}

// normalizeIdentifiers lower-cases DNS names and drops duplicates; any other type is a
// violation ("unsupported_identifier").
func normalizeIdentifiers(in []ACMEIdentifier) ([]ACMEIdentifier, []Violation) {
	var out []ACMEIdentifier
	var vs []Violation
	for _, id := range in {
		if id.Type != "dns" {
			vs = append(vs, violation("identifiers", "unsupported_identifier", "identifier type %q is not supported; only dns", id.Type))
			continue
		}
		n := ACMEIdentifier{Type: "dns", Value: normalizeDNSName(id.Value)}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out, vs
}

// ChallengeResult is the outcome of validating one challenge.
type ChallengeResult struct {
	Authorization int
	Challenge     string
	Attempts      int
	// ProblemType and Detail say why it failed; an empty ProblemType means it was validated.
	ProblemType, Detail string
}

// RecordChallenge decides the result of a challenge's validation, by the account's own actor.
func (o *ACMEOrder) RecordChallenge(r ChallengeResult, at time.Time) ([]Event, error) {
	if err := o.workable(at); err != nil {
		return nil, err
	}
	if !o.authzPending(r.Authorization) {
		return nil, conflictf("authorization %d of ACME order %s is %s", r.Authorization, o.ID(), o.AuthorizationStatus(r.Authorization))
	}
	if r.ProblemType == "" {
		return []Event{ACMEChallengeValidated{OrderID: o.ID(), Authorization: r.Authorization, Challenge: r.Challenge,
			Attempts: r.Attempts, ValidatedAt: at.UTC()}}, nil
	}
	return []Event{ACMEChallengeFailed{OrderID: o.ID(), Authorization: r.Authorization, Challenge: r.Challenge,
		Attempts: r.Attempts, ProblemType: r.ProblemType, Detail: r.Detail, FailedAt: at.UTC()}}, nil
}

// workable refuses decisions on an order that does not exist, is not pending or has expired.
func (o *ACMEOrder) workable(at time.Time) error {
	switch {
	case !o.Exists():
		return notFoundf("ACME order does not exist")
	case o.Status() != ACMEPending:
		return conflictf("ACME order %s is %s, not pending", o.ID(), o.Status())
	case at.After(o.created.Expires):
		return conflictf("ACME order %s expired at %s", o.ID(), o.created.Expires.Format(time.RFC3339))
	}
	return nil
}

// CheckCSR refuses a CSR that does not ask for exactly the order's identifiers (a KindInvalid
// error, rule "csr_names"), or an order that is not ready.
func (o *ACMEOrder) CheckCSR(csr *CSR, at time.Time) error {
	if !o.Exists() {
		return notFoundf("ACME order does not exist")
	}
	if s := o.Status(); s != ACMEReady {
		return conflictf("ACME order %s is %s, not ready", o.ID(), s)
	}
	if at.After(o.created.Expires) {
		return conflictf("ACME order %s expired", o.ID())
	}
	want := make([]string, len(o.created.Identifiers))
	for i, id := range o.created.Identifiers {
		want[i] = id.Value
	}
	var got []string
	for _, n := range csr.DNSNames() {
		if n = normalizeDNSName(n); !slices.Contains(got, n) {
			got = append(got, n)
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	cn := normalizeDNSName(csr.CommonName())
	if !slices.Equal(want, got) || csr.SANCount() != len(csr.DNSNames()) || (cn != "" && !slices.Contains(want, cn)) {
		return &Error{Kind: KindInvalid, Message: "the CSR does not ask for exactly the order's identifiers",
			Violations: []Violation{violation("csr", "csr_names", "CSR names %v, order identifiers %v", got, want)}}
	}
	return nil
}

// Finalize records the certificate a ready order's CSR was requested as.
func (o *ACMEOrder) Finalize(certificateID string, at time.Time) ([]Event, error) {
	if s := o.Status(); s != ACMEReady {
		return nil, conflictf("ACME order %s is %s, not ready", o.ID(), s)
	}
	return []Event{ACMEOrderFinalized{OrderID: o.ID(), CertificateID: certificateID, FinalizedAt: at.UTC()}}, nil
}
