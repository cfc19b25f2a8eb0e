package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/certledger/certledger/api/client"
)

// table is tab-aligned text: an optional header of column names, then rows.
type table struct{ w *tabwriter.Writer }

func newTable(out io.Writer, columns ...string) *table {
	t := &table{w: tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)}
	if len(columns) > 0 {
		t.row(columns...)
	}
	return t
}

// row writes one row; empty cells show as "-".
func (t *table) row(cells ...string) {
	for i, c := range cells {
		if c == "" {
			cells[i] = "-"
		}
	}
	fmt.Fprintln(t.w, strings.Join(cells, "\t"))
}

func (t *table) flush() error { return t.w.Flush() }

// printFields writes one resource as aligned "name:  value" lines; pairs are name, value.
func printFields(out io.Writer, pairs ...string) error {
	t := newTable(out)
	for i := 0; i+1 < len(pairs); i += 2 {
		t.row(pairs[i]+":", pairs[i+1])
	}
	return t.flush()
}

// printJSON writes a JSON answer as the API wrote it, indented.
func printJSON(out io.Writer, body []byte) error {
	var buf bytes.Buffer
	if err := json.Indent(&buf, bytes.TrimSpace(body), "", "  "); err != nil {
		return fmt.Errorf("the answer is not JSON: %w", err)
	}
	buf.WriteByte('\n')
	_, err := out.Write(buf.Bytes())
	return err
}

// show prints the command's answer: the API's JSON with -o json, else what render writes.
func (cmd *command) show(render func(w io.Writer) error) int {
	var err error
	if cmd.output == "json" {
		err = printJSON(cmd.stdout, cmd.raw.Body)
	} else {
		err = render(cmd.stdout)
	}
	if err != nil {
		fmt.Fprintf(cmd.stderr, "ledgerctl %s: writing the output: %v\n", cmd.name, err)
		return exitFailure
	}
	return exitOK
}

// help prints the command's usage: what it does, its flags and an example.
func (cmd *command) help(w io.Writer) {
	fmt.Fprintf(w, "Usage: ledgerctl %s %s [flags]\n\n%s\n\nFlags:\n", cmd.name, cmd.synopsis, cmd.summary)
	t := newTable(w)
	cmd.fs.VisitAll(func(f *flag.Flag) {
		arg, usage := flag.UnquoteUsage(f)
		dashes := "--"
		if len(f.Name) == 1 {
			dashes = "-"
		}
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			usage += " (default " + f.DefValue + ")"
		}
		t.row("  "+strings.TrimSpace(dashes+f.Name+" "+arg), usage)
	})
	_ = t.flush()
	fmt.Fprintf(w, "\nExample:\n  %s\n\n%s", cmd.example, exitCodes)
}

// stamp shows a time in UTC, RFC 3339; the zero time is empty.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// stampOf shows an optional time.
func stampOf(t *time.Time) string {
	if t == nil {
		return ""
	}
	return stamp(*t)
}

// join shows a list comma-separated.
func join[S ~string](items []S) string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = string(s)
	}
	return strings.Join(out, ",")
}

// yesNo shows a flag.
func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// historyTable prints a stream's events: revision, time, type, actor and the start of the hash.
func historyTable(w io.Writer, h client.History) error {
	t := newTable(w, "REV", "OCCURRED", "TYPE", "ACTOR", "HASH")
	for _, e := range h.Events {
		hash := e.Hash
		if len(hash) > 16 {
			hash = hash[:16]
		}
		t.row(fmt.Sprint(e.Revision), stamp(e.OccurredAt), e.Type, e.Actor.Subject, hash)
	}
	return t.flush()
}

// save writes a download to the file out, or to stdout when out is empty.
func (cmd *command) save(data []byte, err error, out string) int {
	if err != nil {
		return cmd.fail(err)
	}
	if out == "" {
		_, err = cmd.stdout.Write(data)
	} else if err = os.WriteFile(out, data, 0o644); err == nil {
		fmt.Fprintf(cmd.stderr, "wrote %d bytes to %s\n", len(data), out)
	}
	if err != nil {
		fmt.Fprintf(cmd.stderr, "ledgerctl %s: %v\n", cmd.name, err)
		return exitFailure
	}
	return exitOK
}
