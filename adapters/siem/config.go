package siem

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"time"
)

// Sink kinds.
const (
	KindNATS    = "nats"
	KindAMQP    = "amqp"
	KindKafka   = "kafka"
	KindWebhook = "webhook"
	KindFile    = "file"
)

// Config is the forwarder's configuration, the JSON file LEDGER_SIEM_CONFIG names.
type Config struct {
	// Source is the CloudEvents source of every event; default "urn:certledger:<hostname>".
	Source string       `json:"source"`
	Sinks  []SinkConfig `json:"sinks"`
	Retry  RetryConfig  `json:"retry"`
}

// RetryConfig is how often and how patiently a failed delivery is retried before the event goes
// to the sink's poison destination (or, for an unreachable sink, is redelivered later).
type RetryConfig struct {
	MaxRetries      *int     `json:"max_retries"`      // default 5
	InitialInterval Duration `json:"initial_interval"` // default 200ms
	MaxInterval     Duration `json:"max_interval"`     // default 30s
}

// SinkConfig is one destination. Which fields apply depends on Kind; the others must be absent.
type SinkConfig struct {
	Name        string   `json:"name"`
	Kind        string   `json:"kind"`
	Types       []string `json:"types"`         // event type prefixes; empty: every type
	Streams     []string `json:"streams"`       // stream name prefixes; empty: every stream
	MaxInFlight int      `json:"max_in_flight"` // events being delivered at once; default 256

	URL string `json:"url"` // nats, amqp, webhook

	Subject         string   `json:"subject"`          // nats
	Stream          string   `json:"stream"`           // nats: JetStream stream, default CERTLEDGER
	DuplicateWindow Duration `json:"duplicate_window"` // nats: of a provisioned stream, default 2m
	PoisonSubject   string   `json:"poison_subject"`   // nats: default <subject>.poison

	Exchange         string `json:"exchange"`           // amqp: durable topic exchange
	RoutingKey       string `json:"routing_key"`        // amqp: default certledger.events
	Queue            string `json:"queue"`              // amqp: durable queue to declare and bind, optional
	PoisonRoutingKey string `json:"poison_routing_key"` // amqp: default <routing_key>.poison

	Brokers     []string `json:"brokers"`      // kafka
	Topic       string   `json:"topic"`        // kafka
	PoisonTopic string   `json:"poison_topic"` // kafka: default <topic>.poison

	SecretFile string   `json:"secret_file"` // webhook: HMAC key
	CAFile     string   `json:"ca_file"`     // webhook: PEM roots instead of the system's
	Timeout    Duration `json:"timeout"`     // webhook: per request, default 10s

	Path     string `json:"path"`      // file
	MaxBytes int64  `json:"max_bytes"` // file: rotate beyond this size, default 100 MiB
	Keep     int    `json:"keep"`      // file: rotated files kept, default 10

	PoisonPath string `json:"poison_path"` // webhook, file: JSON-lines file of poisoned events
}

// kindFields lists the JSON fields each kind accepts besides name, kind, types, streams and
// max_in_flight.
var kindFields = map[string][]string{
	KindNATS:    {"url", "subject", "stream", "duplicate_window", "poison_subject"},
	KindAMQP:    {"url", "exchange", "routing_key", "queue", "poison_routing_key"},
	KindKafka:   {"brokers", "topic", "poison_topic"},
	KindWebhook: {"url", "secret_file", "ca_file", "timeout", "poison_path"},
	KindFile:    {"path", "max_bytes", "keep", "poison_path"},
}

// Duration is a time.Duration written as a Go duration string such as "200ms".
type Duration time.Duration

// UnmarshalJSON reads a duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a duration is a string such as \"200ms\": %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// MarshalJSON writes the duration string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// LoadConfig reads the file at path, refusing unknown fields and fields that do not belong to a
// sink's kind, fills in the defaults and validates it, reporting every problem at once.
func LoadConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("SIEM config: %w", err)
	}
	cfg, err := ParseConfig(data)
	if err != nil {
		return Config{}, fmt.Errorf("SIEM config %s: %w", path, err)
	}
	return cfg, nil
}

// ParseConfig is LoadConfig on the file's content.
func ParseConfig(data []byte) (Config, error) {
	var cfg Config
	if err := decodeStrict(data, &cfg); err != nil {
		return Config{}, err
	}
	var raw struct {
		Sinks []map[string]json.RawMessage `json:"sinks"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return Config{}, err
	}
	var problems []error
	for i, fields := range raw.Sinks {
		problems = append(problems, checkFields(cfg.Sinks[i], fields)...)
	}
	cfg.setDefaults()
	problems = append(problems, cfg.validate()...)
	if len(problems) > 0 {
		return Config{}, errors.Join(problems...)
	}
	return cfg, nil
}

// decodeStrict decodes one JSON object, refusing unknown fields and trailing data.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("unexpected data after the JSON object")
	}
	return nil
}

// checkFields refuses the fields of a sink that its kind does not use.
func checkFields(s SinkConfig, fields map[string]json.RawMessage) []error {
	allowed, ok := kindFields[s.Kind]
	if !ok {
		return nil // validate reports the kind
	}
	var problems []error
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		switch name {
		case "name", "kind", "types", "streams", "max_in_flight":
			continue
		}
		if !slices.Contains(allowed, name) {
			problems = append(problems, fmt.Errorf("sink %q: field %q does not apply to kind %s", s.Name, name, s.Kind))
		}
	}
	return problems
}
