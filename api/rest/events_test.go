package rest_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/tests/clienttest"
)

func cloudEventOf(t *testing.T, f sseFrame) events.CloudEvent {
	t.Helper()
	var ce events.CloudEvent
	require.NoError(t, json.Unmarshal([]byte(f.Data), &ce), f.Data)
	return ce
}

func TestEventStreamSendsTheHistoryInOrder(t *testing.T) {
	l := clienttest.Start(t)
	a := appendEvents(t, l.Store, events.CategoryEndpoint, "ProbeSeen", "ProbeChanged")
	b := appendEvents(t, l.Store, events.CategoryAgent, "AgentEnrolled")
	c := appendEvents(t, l.Store, events.CategoryEndpoint, "ProbeSeen")

	resp, frames := readStream(t, l.Server, "?from=start&follow=false", adminToken)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
	assert.Equal(t, "no", resp.Header.Get("X-Accel-Buffering"))
	assert.Equal(t, []string{a, a, b, c}, subjects(t, frames))
	want := ledgerEvents(t, l.Store)
	require.Len(t, frames, len(want))
	for i, f := range frames {
		ce := cloudEventOf(t, f)
		assert.Equal(t, strconv.FormatUint(want[i].Position, 10), f.ID, "the id is the position in $all")
		assert.Equal(t, f.ID, ce.Position)
		assert.Equal(t, want[i].Type, f.Event)
		assert.Equal(t, want[i].ID.String(), ce.ID)
		assert.Equal(t, events.CloudEventTypePrefix+want[i].Type, ce.Type)
		assert.Equal(t, "urn:certledger", ce.Source)
		assert.Equal(t, "prober", ce.Actor)
		assert.JSONEq(t, `{"probe":true}`, string(ce.Data))
		assert.Len(t, ce.Hash, 64)
	}
}

func TestEventStreamResumesAfterTheLastEventID(t *testing.T) {
	l := clienttest.Start(t)
	for range 3 {
		appendEvents(t, l.Store, events.CategoryEndpoint, "ProbeSeen", "ProbeLost")
	}
	_, all := readStream(t, l.Server, "?from=start&follow=false", adminToken)
	require.Len(t, all, 6)
	for _, k := range []int{0, 2, 5} {
		_, resumed := readStream(t, l.Server, "?follow=false", adminToken, "Last-Event-ID", all[k].ID)
		assert.Equal(t, all[k+1:], resumed, "Last-Event-ID %s", all[k].ID)
		_, after := readStream(t, l.Server, "?follow=false&after="+all[k].ID, adminToken)
		assert.Equal(t, all[k+1:], after, "after=%s", all[k].ID)
		// A client resuming with the URL it started with: the header wins.
		_, again := readStream(t, l.Server, "?follow=false&from=start", adminToken, "Last-Event-ID", all[k].ID)
		assert.Equal(t, all[k+1:], again, "from=start and Last-Event-ID %s", all[k].ID)
	}
}

func TestEventStreamFilters(t *testing.T) {
	l := clienttest.Start(t)
	endpoint := appendEvents(t, l.Store, events.CategoryEndpoint, "ProbeSeen", "ProbeLost")
	agent := appendEvents(t, l.Store, events.CategoryAgent, "AgentEnrolled", "ProbeSeen")
	tests := []struct {
		query string
		want  []string // stream:type of each event
	}{
		{"type=Probe", []string{endpoint + ":ProbeSeen", endpoint + ":ProbeLost", agent + ":ProbeSeen"}},
		{"stream=agent-", []string{agent + ":AgentEnrolled", agent + ":ProbeSeen"}},
		{"type=Probe&stream=agent-", []string{agent + ":ProbeSeen"}},
		{"type=AgentE&type=ProbeL", []string{endpoint + ":ProbeLost", agent + ":AgentEnrolled"}},
		{"stream=" + endpoint + "&stream=agent-&type=ProbeS", []string{endpoint + ":ProbeSeen", agent + ":ProbeSeen"}},
		{"type=Certificate", nil},
	}
	for _, tc := range tests {
		_, frames := readStream(t, l.Server, "?from=start&follow=false&"+tc.query, adminToken)
		var got []string
		for _, f := range frames {
			got = append(got, cloudEventOf(t, f).Subject+":"+f.Event)
		}
		assert.Equal(t, tc.want, got, tc.query)
	}
}

func TestEventStreamStartsWithTheNewestEvents(t *testing.T) {
	l := clienttest.Start(t)
	endpoint := appendEvents(t, l.Store, events.CategoryEndpoint, "ProbeSeen", "ProbeChanged", "ProbeLost")
	agent := appendEvents(t, l.Store, events.CategoryAgent, "AgentEnrolled")
	all := ledgerEvents(t, l.Store)
	newest := strconv.FormatUint(all[len(all)-1].Position, 10)

	_, frames := readStream(t, l.Server, "?last=2&follow=false", adminToken)
	assert.Equal(t, []string{endpoint, agent, "position"}, subjects(t, frames))
	assert.Equal(t, newest, frames[2].ID, "then the position the stream continues after")

	_, frames = readStream(t, l.Server, "?last=2&type=Probe&follow=false", adminToken)
	require.Equal(t, []string{endpoint, endpoint, "position"}, subjects(t, frames))
	assert.Equal(t, []string{"ProbeChanged", "ProbeLost"}, []string{frames[0].Event, frames[1].Event})
	assert.Equal(t, newest, frames[2].ID)

	_, frames = readStream(t, l.Server, "?last=100&follow=false", adminToken)
	assert.Equal(t, []string{endpoint, endpoint, endpoint, agent, "position"}, subjects(t, frames))
	_, frames = readStream(t, l.Server, "?follow=false", adminToken)
	assert.Equal(t, []sseFrame{{ID: newest}}, frames, "from now: only the position")
}

func TestEventStreamRefuses(t *testing.T) {
	srv := server(t)
	for _, tc := range []struct {
		name, query, token string
		headers            []string
		status             int
		detail             string
	}{
		{"DEVOPS", "?follow=false", clienttest.DevOpsToken, nil, http.StatusForbidden, "through the certificate routes"},
		{"no token", "?follow=false", "", nil, http.StatusUnauthorized, "bearer token"},
		{"unknown token", "?follow=false", "not-a-token", nil, http.StatusUnauthorized, "not valid"},
		{"follow", "?follow=maybe", adminToken, nil, http.StatusBadRequest, "follow"},
		{"from", "?from=yesterday", adminToken, nil, http.StatusBadRequest, "from must be"},
		{"after", "?after=-1", adminToken, nil, http.StatusBadRequest, "after must be"},
		{"two starts", "?after=1&from=start", adminToken, nil, http.StatusBadRequest, "give one"},
		{"last", "?last=0", adminToken, nil, http.StatusBadRequest, "last must be"},
		{"too many", "?last=10001", adminToken, nil, http.StatusBadRequest, "last must be"},
		{"empty prefix", "?type=", adminToken, nil, http.StatusBadRequest, "non-empty prefix"},
		{"Last-Event-ID", "", adminToken, []string{"Last-Event-ID", "abc"}, http.StatusBadRequest, "Last-Event-ID"},
	} {
		status, problem := call(t, srv, http.MethodGet, "/api/v1/events/stream"+tc.query, tc.token, nil, tc.headers...)
		assert.Equal(t, tc.status, status, tc.name)
		assert.Contains(t, problem["detail"], tc.detail, tc.name)
	}
	status, _ := call(t, srv, http.MethodGet, "/api/v1/events/stream?follow=false", clienttest.ViewerToken, nil)
	assert.Equal(t, http.StatusOK, status, "VIEWER reads every team's events")
}
