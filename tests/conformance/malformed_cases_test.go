package conformance_test

import (
	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
	api "github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"github.com/google/uuid"
)

type appendCase struct {
	name string
	msgs []*api.AppendReq
}

type readCase struct {
	name string
	req  *api.ReadReq
}

// options is a well-formed append header for malformedStream.
func options() *api.AppendReq {
	return &api.AppendReq{Content: &api.AppendReq_Options_{Options: &api.AppendReq_Options{
		StreamIdentifier:       &shared.StreamIdentifier{StreamName: []byte(malformedStream)},
		ExpectedStreamRevision: &api.AppendReq_Options_Any{Any: &shared.Empty{}},
	}}}
}

// proposed is an event message; edit changes it before it is wrapped.
func proposed(edit func(m *api.AppendReq_ProposedMessage)) *api.AppendReq {
	m := &api.AppendReq_ProposedMessage{
		Id:       idOf(uuid.New()),
		Metadata: map[string]string{"type": "Garbage", "content-type": "application/json"},
		Data:     []byte(`{}`),
	}
	edit(m)
	return &api.AppendReq{Content: &api.AppendReq_ProposedMessage_{ProposedMessage: m}}
}

func keep(*api.AppendReq_ProposedMessage) {}

func malformedAppends() []appendCase {
	noStream := &api.AppendReq{Content: &api.AppendReq_Options_{Options: &api.AppendReq_Options{
		ExpectedStreamRevision: &api.AppendReq_Options_Any{Any: &shared.Empty{}},
	}}}
	return []appendCase{
		{"no_messages", nil},
		{"no_options_message", []*api.AppendReq{proposed(keep)}},
		{"empty_message", []*api.AppendReq{{}}},
		{"options_without_stream_identifier", []*api.AppendReq{noStream, proposed(keep)}},
		{"options_twice", []*api.AppendReq{options(), options(), proposed(keep)}},
		{"event_without_id", []*api.AppendReq{options(), proposed(func(m *api.AppendReq_ProposedMessage) { m.Id = nil })}},
		{"event_with_empty_id", []*api.AppendReq{options(), proposed(func(m *api.AppendReq_ProposedMessage) { m.Id = &shared.UUID{} })}},
		{"event_with_bad_id", []*api.AppendReq{options(), proposed(func(m *api.AppendReq_ProposedMessage) {
			m.Id = &shared.UUID{Value: &shared.UUID_String_{String_: "not-a-uuid"}}
		})}},
		{"event_without_type", []*api.AppendReq{options(), proposed(func(m *api.AppendReq_ProposedMessage) { delete(m.Metadata, "type") })}},
		{"event_without_content_type", []*api.AppendReq{options(), proposed(func(m *api.AppendReq_ProposedMessage) { delete(m.Metadata, "content-type") })}},
		{"good_event_then_bad_event", []*api.AppendReq{options(), proposed(keep), proposed(func(m *api.AppendReq_ProposedMessage) { m.Metadata = nil })}},
	}
}

// readOptions is a well-formed read of malformedStream; edit changes it.
func readOptions(edit func(o *api.ReadReq_Options)) *api.ReadReq {
	o := &api.ReadReq_Options{
		StreamOption: &api.ReadReq_Options_Stream{Stream: &api.ReadReq_Options_StreamOptions{
			StreamIdentifier: &shared.StreamIdentifier{StreamName: []byte(malformedStream)},
			RevisionOption:   &api.ReadReq_Options_StreamOptions_Start{Start: &shared.Empty{}},
		}},
		CountOption:  &api.ReadReq_Options_Count{Count: 10},
		FilterOption: &api.ReadReq_Options_NoFilter{NoFilter: &shared.Empty{}},
		UuidOption:   &api.ReadReq_Options_UUIDOption{Content: &api.ReadReq_Options_UUIDOption_Structured{Structured: &shared.Empty{}}},
	}
	edit(o)
	return &api.ReadReq{Options: o}
}

// allSubscription turns the read into a filtered $all subscription with the given expression.
func allSubscription(regex string) func(o *api.ReadReq_Options) {
	return func(o *api.ReadReq_Options) {
		o.StreamOption = &api.ReadReq_Options_All{All: &api.ReadReq_Options_AllOptions{
			AllOption: &api.ReadReq_Options_AllOptions_Start{Start: &shared.Empty{}},
		}}
		o.CountOption = &api.ReadReq_Options_Subscription{Subscription: &api.ReadReq_Options_SubscriptionOptions{}}
		o.FilterOption = &api.ReadReq_Options_Filter{Filter: &api.ReadReq_Options_FilterOptions{
			Filter: &api.ReadReq_Options_FilterOptions_StreamIdentifier{
				StreamIdentifier: &api.ReadReq_Options_FilterOptions_Expression{Regex: regex},
			},
			Window:                       &api.ReadReq_Options_FilterOptions_Max{Max: 32},
			CheckpointIntervalMultiplier: 1,
		}}
	}
}

func malformedReads() []readCase {
	return []readCase{
		{"no_options", &api.ReadReq{}},
		{"no_stream_option", readOptions(func(o *api.ReadReq_Options) { o.StreamOption = nil })},
		{"stream_without_identifier", readOptions(func(o *api.ReadReq_Options) {
			o.StreamOption.(*api.ReadReq_Options_Stream).Stream.StreamIdentifier = nil
		})},
		{"stream_without_revision_option", readOptions(func(o *api.ReadReq_Options) {
			o.StreamOption.(*api.ReadReq_Options_Stream).Stream.RevisionOption = nil
		})},
		{"all_without_position_option", readOptions(func(o *api.ReadReq_Options) {
			o.StreamOption = &api.ReadReq_Options_All{All: &api.ReadReq_Options_AllOptions{}}
		})},
		{"no_count_option", readOptions(func(o *api.ReadReq_Options) { o.CountOption = nil })},
		{"invalid_filter_regex", readOptions(allSubscription(`([unclosed`))},
		{"filter_without_expression", readOptions(func(o *api.ReadReq_Options) {
			allSubscription("")(o)
			o.FilterOption.(*api.ReadReq_Options_Filter).Filter.Filter = nil
		})},
	}
}
