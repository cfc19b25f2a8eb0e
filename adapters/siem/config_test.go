package siem_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/siem"
)

// exampleConfig is the README's example, with a real secret file.
func exampleConfig(t *testing.T) string {
	return fmt.Sprintf(`{"source":"urn:certledger:prod","sinks":[
		{"name":"soc","kind":"nats","url":"nats://127.0.0.1:4222","subject":"certledger.events","types":["Certificate"],"streams":["certificate-"]},
		{"name":"archive","kind":"file","path":"/var/log/certledger/events.jsonl","max_bytes":104857600,"keep":10},
		{"name":"splunk","kind":"webhook","url":"https://siem.example.com/hec","secret_file":%q},
		{"name":"rabbit","kind":"amqp","url":"amqp://guest:guest@127.0.0.1:5672/","exchange":"certledger"},
		{"name":"bus","kind":"kafka","brokers":["127.0.0.1:9092"],"topic":"certledger.events"}],
		"retry":{"max_retries":5,"initial_interval":"200ms","max_interval":"30s"}}`,
		writeFile(t, "hmac", strings.Repeat("s", 32)))
}

func TestConfigExampleAndDefaults(t *testing.T) {
	cfg, err := siem.ParseConfig([]byte(exampleConfig(t)))
	require.NoError(t, err)
	require.Len(t, cfg.Sinks, 5)
	soc, archive, rabbit, bus := cfg.Sinks[0], cfg.Sinks[1], cfg.Sinks[3], cfg.Sinks[4]
	assert.Equal(t, "CERTLEDGER", soc.Stream)
	assert.Equal(t, "certledger.events.poison", soc.PoisonSubject)
	assert.Equal(t, siem.Duration(2*time.Minute), soc.DuplicateWindow)
	assert.Equal(t, 256, soc.MaxInFlight)
	assert.Equal(t, "/var/log/certledger/events.jsonl.poison", archive.PoisonPath)
	assert.Equal(t, "certledger.events", rabbit.RoutingKey)
	assert.Equal(t, "certledger.events.poison", bus.PoisonTopic)
	assert.Equal(t, 5, *cfg.Retry.MaxRetries)

	cfg, err = siem.ParseConfig([]byte(`{"sinks":[{"name":"a","kind":"file","path":"x"}]}`))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(cfg.Source, "urn:certledger:"), cfg.Source)
	assert.Equal(t, siem.Duration(200*time.Millisecond), cfg.Retry.InitialInterval)
	assert.Equal(t, siem.Duration(30*time.Second), cfg.Retry.MaxInterval)
	assert.Equal(t, int64(100<<20), cfg.Sinks[0].MaxBytes)
}

func TestConfigRefusesBadSettings(t *testing.T) {
	secret := writeFile(t, "hmac", strings.Repeat("s", 32))
	tests := map[string]struct{ json, want string }{
		"unknown field":         {`{"sinks":[{"name":"a","kind":"file","path":"x","colour":"red"}]}`, `unknown field "colour"`},
		"unknown top field":     {`{"sink":[]}`, `unknown field "sink"`},
		"field of another kind": {`{"sinks":[{"name":"a","kind":"file","path":"x","subject":"s"}]}`, `sink "a": field "subject" does not apply to kind file`},
		"unknown kind":          {`{"sinks":[{"name":"a","kind":"smtp"}]}`, `kind "smtp"`},
		"no sinks":              {`{"sinks":[]}`, "no sinks"},
		"duplicate names":       {`{"sinks":[{"name":"a","kind":"file","path":"x"},{"name":"a","kind":"file","path":"y"}]}`, `two sinks are named "a"`},
		"bad name":              {`{"sinks":[{"name":"A B","kind":"file","path":"x"}]}`, "name must match"},
		"nats wildcard":         {`{"sinks":[{"name":"a","kind":"nats","url":"nats://h:4222","subject":"a.*"}]}`, `subject "a.*"`},
		"nats url":              {`{"sinks":[{"name":"a","kind":"nats","url":"http://h","subject":"a"}]}`, "not a nats/tls URL"},
		"amqp exchange":         {`{"sinks":[{"name":"a","kind":"amqp","url":"amqp://h"}]}`, "exchange must be set"},
		"kafka brokers":         {`{"sinks":[{"name":"a","kind":"kafka","topic":"t"}]}`, "brokers must list"},
		"webhook http":          {fmt.Sprintf(`{"sinks":[{"name":"a","kind":"webhook","url":"http://siem.example.com","secret_file":%q}]}`, secret), "https is required"},
		"webhook secret":        {`{"sinks":[{"name":"a","kind":"webhook","url":"https://siem.example.com"}]}`, "secret_file: must be set"},
		"file size":             {`{"sinks":[{"name":"a","kind":"file","path":"x","max_bytes":10}]}`, "max_bytes must be at least 4096"},
		"retry":                 {`{"sinks":[{"name":"a","kind":"file","path":"x"}],"retry":{"initial_interval":"1s","max_interval":"10ms"}}`, "max_interval"},
		"duration":              {`{"sinks":[{"name":"a","kind":"file","path":"x"}],"retry":{"max_interval":30}}`, "a duration is a string"},
		"trailing data":         {`{"sinks":[{"name":"a","kind":"file","path":"x"}]} {}`, "unexpected data"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := siem.ParseConfig([]byte(tt.json))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	// Loopback webhooks may use plain http.
	_, err := siem.ParseConfig([]byte(fmt.Sprintf(`{"sinks":[{"name":"a","kind":"webhook","url":"http://127.0.0.1:9/x","secret_file":%q}]}`, secret)))
	assert.NoError(t, err)
}
