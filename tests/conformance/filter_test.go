package conformance_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// filterCase describes a filtered $all subscription: its filter, and the stream and event type of
// the i-th matching event and of the i-th other event.
type filterCase struct {
	filter  *esdb.SubscriptionFilter
	in, out func(i int) (stream, typ string)
}

// uniqueType returns a unique event type prefix.
func uniqueType() string { return "T" + strings.ReplaceAll(uuid.NewString(), "-", "") }

// pick returns the i-th of choices, round robin.
func pick(i int, choices ...string) string { return choices[i%len(choices)] }

func filteredStreamPrefix(t *testing.T, c *esdb.Client) {
	p := newStream("fsp")
	runFilterCase(t, c, filterCase{
		filter: &esdb.SubscriptionFilter{Type: esdb.StreamFilterType, Prefixes: []string{p + "-in-"}},
		in:     func(i int) (string, string) { return p + pick(i, "-in-0", "-in-1"), "Added" },
		out:    func(i int) (string, string) { return p + pick(i, "-out-0", "-i-1", "-in"), "Added" },
	})
}

func filteredEventTypePrefix(t *testing.T, c *esdb.Client) {
	p, tp := newStream("fep"), uniqueType()
	runFilterCase(t, c, filterCase{
		filter: &esdb.SubscriptionFilter{Type: esdb.EventFilterType, Prefixes: []string{tp + ".In"}},
		in:     func(i int) (string, string) { return p, tp + pick(i, ".In", ".Income") },
		out:    func(i int) (string, string) { return p, tp + pick(i, ".Out", ".I", "X.In") },
	})
}

func filteredStreamRegex(t *testing.T, c *esdb.Client) {
	p := newStream("fsr")
	runFilterCase(t, c, filterCase{
		filter: &esdb.SubscriptionFilter{Type: esdb.StreamFilterType, Regex: "^" + regexp.QuoteMeta(p) + `-(a|c)-\d+$`},
		in:     func(i int) (string, string) { return fmt.Sprintf("%s-%s-%d", p, pick(i, "a", "c"), i), "Added" },
		out:    func(i int) (string, string) { return fmt.Sprintf("%s-%s-%d", p, pick(i, "b", "ab", "a-x"), i), "Added" },
	})
}

func filteredEventTypeRegex(t *testing.T, c *esdb.Client) {
	p, tp := newStream("fer"), uniqueType()
	runFilterCase(t, c, filterCase{
		filter: &esdb.SubscriptionFilter{Type: esdb.EventFilterType, Regex: "^" + tp + `\.(Issued|Revoked)$`},
		in:     func(i int) (string, string) { return p, tp + pick(i, ".Issued", ".Revoked") },
		out:    func(i int) (string, string) { return p, tp + pick(i, ".Renewed", ".IssuedX", "X.Issued") },
	})
}

// runFilterCase appends matching and other events around a subscription from the current end of
// $all: history first, then live after caught-up. Only matching events may arrive, in order.
func runFilterCase(t *testing.T, c *esdb.Client, fc filterCase) {
	from := lastPosition(t, c)
	var want []esdb.EventData
	put := func(in bool, i int) {
		stream, typ := fc.out(i)
		if in {
			stream, typ = fc.in(i)
		}
		ev := newEvent(typ)
		appendOK(t, c, stream, esdb.Any{}, ev)
		if in {
			want = append(want, ev)
		}
	}
	for i := 0; i < 4; i++ {
		put(false, i)
		put(true, i)
	}
	f := subscribeAll(t, c, from, fc.filter)
	f.expect("", idsOf(want)...) // "": every delivered event must be a matching one
	f.caughtUp("")
	live := len(want)
	for i := 4; i < 8; i++ {
		put(true, i)
		put(false, i)
	}
	f.expect("", idsOf(want[live:])...)
}

func filteredCheckpoints(t *testing.T, c *esdb.Client) {
	p := newStream("fcp")
	from := lastPosition(t, c)
	for i := 0; i < 4; i++ {
		appendOK(t, c, p+"-noise", esdb.Any{}, newEvents(50, "Noise")...)
	}
	match := newEvent("Signal")
	appendOK(t, c, p+"-signal", esdb.NoStream{}, match)

	f := subscribeAll(t, c, from, &esdb.SubscriptionFilter{Type: esdb.StreamFilterType, Prefixes: []string{p + "-signal"}})
	got, checkpoints := f.expect("", match.EventID)
	require.NotEmpty(t, checkpoints, "200 non-matching events scanned with a search window of 32 send checkpoints")
	low := esdb.Position{}
	if pos, ok := from.(esdb.Position); ok {
		low = pos
	}
	for i, cp := range checkpoints {
		require.False(t, less(cp, low), "checkpoint %d at %+v is before the start %+v", i, cp, low)
		require.False(t, less(got[0].Position, cp), "checkpoint %d at %+v is after the match at %+v", i, cp, got[0].Position)
		if i > 0 {
			require.False(t, less(cp, checkpoints[i-1]), "checkpoint %d goes back", i)
		}
	}
}
