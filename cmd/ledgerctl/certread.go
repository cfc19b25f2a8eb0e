package main

import (
	"context"
	"encoding/json"
	"io"
	"strconv"

	"github.com/certledger/certledger/api/client"
)

var (
	certListSpec = spec{name: "cert list", output: true,
		synopsis: "[--status S] [--team T] [--owner O] [--ca ID] [--key-type K] [--san TEXT] [--expires-before T] [--all]",
		summary: "List certificates of the inventory, a page at a time, ordered by id; --all follows every page.\n" +
			"Times are RFC 3339, or a duration from now such as 720h. The inventory follows the ledger's\n" +
			"events, so a new certificate shows up within moments. With --all, -o json prints one object\n" +
			"with every page's items.",
		example: "ledgerctl cert list --status issued --expires-before 720h --all -o json", run: certList}
	certShowSpec = spec{name: "cert show", synopsis: "ID", output: true,
		summary: "Show a certificate as its event stream has it, with its revision for --if-match.",
		example: "ledgerctl cert show 0d3c…", run: certShow}
	certHistorySpec = spec{name: "cert history", synopsis: "ID", output: true,
		summary: "The events of a certificate's stream: who did what, when, and the hash chaining each to the one before.",
		example: "ledgerctl cert history 0d3c…", run: certHistory}
	certDownloadSpec = spec{name: "cert download", synopsis: "ID [--format pem|der|chain] [--out FILE]",
		summary: "Download an issued certificate: pem, der, or chain (the certificate, then its CA's chain up to\n" +
			"the root, as PEM), to stdout or --out.",
		example: "ledgerctl cert download 0d3c… --format chain --out fullchain.pem", run: certDownload}
)

func certList(ctx context.Context, cmd *command) int {
	var f client.CertificateFilter
	var before, after timeFlag
	cmd.fs.StringVar(&f.Status, "status", "", "`STATUS`: pending_approval, approved, rejected, issued, superseded, revoked, expired")
	cmd.fs.StringVar(&f.Team, "team", "", "owning `TEAM`")
	cmd.fs.StringVar(&f.Owner, "owner", "", "`OWNER`")
	cmd.fs.StringVar(&f.CAID, "ca", "", "issuing CA `ID`")
	cmd.fs.StringVar(&f.KeyType, "key-type", "", "key `TYPE`, such as ecdsa-p256")
	cmd.fs.StringVar(&f.SAN, "san", "", "a SAN contains `TEXT` (ignoring case)")
	cmd.fs.StringVar(&f.Serial, "serial", "", "serial number `HEX` (any case; colons allowed, as openssl prints it)")
	cmd.fs.Var(&before, "expires-before", "not after is before `TIME`")
	cmd.fs.Var(&after, "expires-after", "not after is at or after `TIME`")
	limit := cmd.fs.Int("limit", 0, "`N` certificates per page, 1 to 500 (default 50)")
	cursor := cmd.fs.String("cursor", "", "start at the page `CURSOR` names (a previous page's next_cursor)")
	all := cmd.fs.Bool("all", false, "follow next_cursor through every page")
	if !cmd.parse(0) {
		return cmd.exit
	}
	f.ExpiresBefore, f.ExpiresAfter = before.t, after.t
	var items []client.CertificateEntry
	rawItems := []json.RawMessage{}
	next := *cursor
	for {
		page, err := cmd.api.ListCertificates(ctx, f, next, *limit, cmd.options()...)
		if err != nil {
			return cmd.fail(err)
		}
		var raw struct{ Items []json.RawMessage }
		_ = json.Unmarshal(cmd.raw.Body, &raw) // decoded once already, as page
		items, rawItems, next = append(items, page.Items...), append(rawItems, raw.Items...), page.NextCursor
		if !*all || next == "" {
			break
		}
	}
	if *all && cmd.output == "json" {
		body, _ := json.Marshal(map[string]any{"items": rawItems, "next_cursor": ""})
		cmd.raw.Body = body
	}
	return cmd.show(func(w io.Writer) error {
		t := newTable(w, "ID", "STATUS", "COMMON NAME", "TEAM", "OWNER", "PROFILE", "NOT AFTER", "SERIAL")
		for _, c := range items {
			t.row(c.ID, c.Status, c.SubjectCN, c.Team, c.Owner, c.Profile, stampOf(c.NotAfter), c.Serial)
		}
		if err := t.flush(); err != nil || next == "" {
			return err
		}
		_, err := io.WriteString(w, "next page: --cursor "+strconv.Quote(next)+"\n")
		return err
	})
}

func certShow(ctx context.Context, cmd *command) int {
	if !cmd.parse(1) {
		return cmd.exit
	}
	cert, err := cmd.api.GetCertificate(ctx, cmd.arg(0), cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error { return certFields(w, cert) })
}

func certHistory(ctx context.Context, cmd *command) int {
	if !cmd.parse(1) {
		return cmd.exit
	}
	h, err := cmd.api.CertificateHistory(ctx, cmd.arg(0), cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error { return historyTable(w, h) })
}

func certDownload(ctx context.Context, cmd *command) int {
	format := cmd.fs.String("format", "pem", "pem, der or chain")
	out := cmd.fs.String("out", "", "write to `FILE` instead of stdout")
	if !cmd.parse(1) {
		return cmd.exit
	}
	data, err := cmd.api.DownloadCertificate(ctx, cmd.arg(0), *format, cmd.options()...)
	return cmd.save(data, err, *out)
}
