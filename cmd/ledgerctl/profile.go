package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/domain"
)

var profileCommands = group{name: "profile", summary: "certificate profiles: the policy requests are checked against", commands: []spec{
	{name: "profile create", synopsis: "--file SPEC.json | --name NAME --allowed-domain D… --key-type K… --max-validity-days N",
		output: true, write: true,
		summary: "Define a certificate profile from a JSON spec file or from flags for the common fields. The\n" +
			"file has the fields of domain.ProfileSpec, such as allowed_domains, allow_wildcards, key_types,\n" +
			"max_validity_days, key_usages, ext_key_usages, requires_approval and team. Without key usages\n" +
			"the profile is for TLS servers: digitalSignature, serverAuth, the common name among the SANs.",
		example: "ledgerctl profile create --name web --allowed-domain example.com --key-type ecdsa-p256 --key-type rsa-2048 --max-validity-days 90",
		run:     profileCreate},
	{name: "profile update", synopsis: "NAME --file SPEC.json [--if-match REV]", output: true, write: true, ifMatch: true,
		summary: "Replace a profile's policy with a JSON spec file (or the same flags as create). With --if-match the\n" +
			"update fails (exit 1) if someone changed the profile since you read it.",
		example: "ledgerctl profile update web --file web.json --if-match 0", run: profileUpdate},
	{name: "profile list", output: true, summary: "List the profiles you may read.", example: "ledgerctl profile list", run: profileList},
	{name: "profile show", synopsis: "NAME", output: true, summary: "Show a profile and its revision, for --if-match.",
		example: "ledgerctl profile show web", run: profileShow},
}}

// specFlags are the ways to give a profile spec: a file, or flags for the common fields.
type specFlags struct {
	file, name, team  string
	domains, keyTypes stringList
	maxValidity       int
	requiresApproval  bool
	renewal           domain.RenewalPolicy
}

func (s *specFlags) register(cmd *command) {
	cmd.fs.StringVar(&s.file, "file", "", "JSON profile spec `FILE` (- for stdin); unknown fields are refused")
	cmd.fs.StringVar(&s.name, "name", "", "profile `NAME`")
	cmd.fs.StringVar(&s.team, "team", "", "owning `TEAM`; none shares the profile with every team")
	cmd.fs.Var(&s.domains, "allowed-domain", "allowed DNS `DOMAIN` (and its subdomains); repeatable")
	cmd.fs.Var(&s.keyTypes, "key-type", "allowed key `TYPE` (ecdsa-p256, rsa-2048, …); repeatable")
	cmd.fs.IntVar(&s.maxValidity, "max-validity-days", 0, "longest validity a request may ask for, in `DAYS`")
	cmd.fs.BoolVar(&s.requiresApproval, "requires-approval", false, "requests wait for a manual approval")
	cmd.fs.StringVar(&s.renewal.Mode, "renewal-mode", "", "`MODE` notify (default), reuse_csr (ledgerd renews) or agent")
	cmd.fs.Float64Var(&s.renewal.LifetimeFraction, "renew-after", 0, "renewal due after this `SHARE` of the lifetime (default 2/3)")
	cmd.fs.IntVar(&s.renewal.DaysBefore, "renew-days-before", 0, "renewal due `DAYS` before the end, if that comes first")
	cmd.fs.BoolVar(&s.renewal.RevokeSuperseded, "revoke-superseded", false, "revoke a renewed certificate (superseded) once its successor is issued")
}

// spec is the profile the flags describe, named name when the command names it.
func (s *specFlags) spec(cmd *command, name string) (client.ProfileSpec, bool) {
	fromFlags := false
	cmd.fs.Visit(func(f *flag.Flag) { fromFlags = fromFlags || isSpecFlag(f.Name) })
	if s.file == "" {
		spec := client.ProfileSpec{Name: firstNonEmpty(name, s.name), Team: s.team, AllowedDomains: s.domains,
			MaxValidityDays: s.maxValidity, RequiresApproval: s.requiresApproval}
		if s.renewal != (domain.RenewalPolicy{}) {
			spec.Renewal = &s.renewal
		}
		for _, k := range s.keyTypes {
			spec.KeyTypes = append(spec.KeyTypes, domain.KeyType(k))
		}
		return spec, cmd.need("--name (or --file)", spec.Name)
	}
	if fromFlags {
		return client.ProfileSpec{}, cmd.usageError("give the profile either as --file or as flags, not both")
	}
	spec, err := readSpec(s.file)
	if err != nil {
		return spec, cmd.usageError("%v", err)
	}
	if spec.Name == "" {
		spec.Name = name
	}
	return spec, true
}

func isSpecFlag(name string) bool {
	switch name {
	case "name", "team", "allowed-domain", "key-type", "max-validity-days", "requires-approval",
		"renewal-mode", "renew-after", "renew-days-before", "revoke-superseded":
		return true
	}
	return false
}

// readSpec reads a JSON profile spec, refusing fields the ledger does not know.
func readSpec(path string) (client.ProfileSpec, error) {
	raw, err := readInput(path)
	if err != nil {
		return client.ProfileSpec{}, err
	}
	var spec client.ProfileSpec
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&spec); err != nil {
		return spec, fmt.Errorf("%s is no profile spec: %w", path, err)
	}
	return spec, nil
}

func profileCreate(ctx context.Context, cmd *command) int {
	var sf specFlags
	sf.register(cmd)
	if !cmd.parse(0) {
		return cmd.exit
	}
	spec, ok := sf.spec(cmd, "")
	if !ok {
		return cmd.exit
	}
	p, err := cmd.api.DefineProfile(ctx, spec, cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error { return profileFields(w, p) })
}

func profileUpdate(ctx context.Context, cmd *command) int {
	var sf specFlags
	sf.register(cmd)
	if !cmd.parse(1) {
		return cmd.exit
	}
	spec, ok := sf.spec(cmd, cmd.arg(0))
	if !ok {
		return cmd.exit
	}
	p, err := cmd.api.UpdateProfile(ctx, cmd.arg(0), spec, cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error { return profileFields(w, p) })
}

func profileList(ctx context.Context, cmd *command) int {
	if !cmd.parse(0) {
		return cmd.exit
	}
	profiles, err := cmd.api.ListProfiles(ctx, cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error {
		t := newTable(w, "NAME", "TEAM", "DOMAINS", "KEY TYPES", "MAX DAYS", "APPROVAL", "REVISION")
		for _, p := range profiles {
			t.row(p.Name, p.Team, join(p.Spec.AllowedDomains), join(p.Spec.KeyTypes), fmt.Sprint(p.Spec.MaxValidityDays),
				yesNo(p.Spec.RequiresApproval), fmt.Sprint(p.Revision))
		}
		return t.flush()
	})
}

func profileShow(ctx context.Context, cmd *command) int {
	if !cmd.parse(1) {
		return cmd.exit
	}
	p, err := cmd.api.GetProfile(ctx, cmd.arg(0), cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error { return profileFields(w, p) })
}

func profileFields(w io.Writer, p client.Profile) error {
	s := p.Spec
	return printFields(w, "Name", p.Name, "ID", p.ID, "Team", p.Team, "Allowed domains", join(s.AllowedDomains),
		"Wildcards", yesNo(s.AllowWildcards), "IP SANs", yesNo(s.AllowIPs), "Key types", join(s.KeyTypes),
		"Max validity days", fmt.Sprint(s.MaxValidityDays), "Key usages", join(s.KeyUsages),
		"Ext key usages", join(s.ExtKeyUsages), "CN in SANs", yesNo(s.RequireCNInSANs),
		"Requires approval", yesNo(s.RequiresApproval), "Renewal", renewalOf(s.Renewal), "Revision", fmt.Sprint(p.Revision))
}

// renewalOf describes a profile's renewal policy, with the defaults filled in.
func renewalOf(r *domain.RenewalPolicy) string {
	p := domain.Profile{}.Renewal()
	if r != nil {
		p = *r
	}
	out := fmt.Sprintf("%s, due after %.3g of the lifetime", firstNonEmpty(p.Mode, domain.RenewalNotify),
		cmp.Or(p.LifetimeFraction, domain.DefaultRenewalFraction))
	if p.DaysBefore > 0 {
		out += fmt.Sprintf(" or %d days before the end", p.DaysBefore)
	}
	if p.RevokeSuperseded {
		out += ", superseded revoked"
	}
	return out
}

// readInput reads a file, or stdin for "-".
func readInput(path string) ([]byte, error) {
	if path == "-" {
		return io.ReadAll(stdin)
	}
	return os.ReadFile(path)
}
