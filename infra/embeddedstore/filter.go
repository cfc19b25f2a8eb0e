package embeddedstore

import (
	"fmt"
	"regexp"
	"strings"

	api "github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
)

// filter selects $all events by stream name or by event type, with prefixes or a regular
// expression, as EventStoreDB's server-side filters do.
type filter struct {
	onType   bool
	prefixes []string
	re       *regexp.Regexp
}

func newFilter(fo *api.ReadReq_Options_FilterOptions) (*filter, error) {
	var expr *api.ReadReq_Options_FilterOptions_Expression
	f := &filter{}
	switch x := fo.Filter.(type) {
	case *api.ReadReq_Options_FilterOptions_StreamIdentifier:
		expr = x.StreamIdentifier
	case *api.ReadReq_Options_FilterOptions_EventType:
		expr, f.onType = x.EventType, true
	}
	if expr == nil {
		return nil, fmt.Errorf("filter names neither stream identifier nor event type")
	}
	if expr.Regex != "" {
		re, err := regexp.Compile(expr.Regex)
		if err != nil {
			return nil, fmt.Errorf("filter regex %q: %w", expr.Regex, err)
		}
		f.re = re
		return f, nil
	}
	if len(expr.Prefix) == 0 {
		return nil, fmt.Errorf("filter has neither a regex nor prefixes")
	}
	f.prefixes = expr.Prefix
	return f, nil
}

func (f *filter) matches(e *api.ReadResp_ReadEvent_RecordedEvent) bool {
	if f == nil {
		return true
	}
	subject := string(e.StreamIdentifier.GetStreamName())
	if f.onType {
		subject = e.Metadata["type"]
	}
	if f.re != nil {
		return f.re.MatchString(subject)
	}
	for _, p := range f.prefixes {
		if strings.HasPrefix(subject, p) {
			return true
		}
	}
	return false
}

// defaultSearchWindow is the client's default max search window.
const defaultSearchWindow = 32

func checkpointInterval(fo *api.ReadReq_Options_FilterOptions) uint64 {
	window := uint64(fo.GetMax())
	if window == 0 {
		window = defaultSearchWindow
	}
	multiplier := uint64(fo.GetCheckpointIntervalMultiplier())
	if multiplier == 0 {
		multiplier = 1
	}
	return window * multiplier
}
