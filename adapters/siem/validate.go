package siem

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
)

var (
	sinkName   = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)
	natsToken  = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)                    // a JetStream stream name
	natsSubj   = regexp.MustCompile(`^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$`) // no wildcards
	kafkaTopic = regexp.MustCompile(`^[A-Za-z0-9._-]{1,249}$`)
)

// validate returns every problem of the configuration.
func (c *Config) validate() []error {
	var problems []error
	bad := func(format string, args ...any) { problems = append(problems, fmt.Errorf(format, args...)) }
	if u, err := url.Parse(c.Source); err != nil || u.Scheme == "" {
		bad("source %q is not an absolute URI", c.Source)
	}
	if *c.Retry.MaxRetries < 0 || *c.Retry.MaxRetries > 100 {
		bad("retry.max_retries %d is not from 0 to 100", *c.Retry.MaxRetries)
	}
	if c.Retry.InitialInterval <= 0 || c.Retry.MaxInterval < c.Retry.InitialInterval {
		bad("retry: initial_interval must be above 0 and max_interval at least initial_interval")
	}
	if len(c.Sinks) == 0 {
		bad("no sinks")
	}
	names := map[string]bool{}
	for _, s := range c.Sinks {
		if names[s.Name] {
			bad("two sinks are named %q", s.Name)
		}
		names[s.Name] = true
		for _, p := range s.validate() {
			bad("sink %q: %s", s.Name, p)
		}
	}
	return problems
}

// validate returns the problems of one sink.
func (s SinkConfig) validate() []string {
	var p []string
	bad := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	if !sinkName.MatchString(s.Name) {
		bad("name must match %s", sinkName)
	}
	for _, prefix := range append(append([]string{}, s.Types...), s.Streams...) {
		if strings.TrimSpace(prefix) == "" {
			bad("an empty filter prefix")
		}
	}
	if s.MaxInFlight < 1 || s.MaxInFlight > 4096 {
		bad("max_in_flight %d is not from 1 to 4096", s.MaxInFlight)
	}
	switch s.Kind {
	case KindNATS:
		checkURL(bad, s.URL, "nats", "tls")
		if checkMatch(bad, "subject", s.Subject, natsSubj) {
			checkMatch(bad, "poison_subject", s.PoisonSubject, natsSubj)
		}
		checkMatch(bad, "stream", s.Stream, natsToken)
		if s.DuplicateWindow < Duration(time.Second) {
			bad("duplicate_window must be at least 1s")
		}
	case KindAMQP:
		checkURL(bad, s.URL, "amqp", "amqps")
		if s.Exchange == "" || strings.HasPrefix(s.Exchange, "amq.") {
			bad("exchange must be set and not start with amq.")
		}
	case KindKafka:
		if len(s.Brokers) == 0 {
			bad("brokers must list at least one host:port")
		}
		for _, b := range s.Brokers {
			if _, _, err := net.SplitHostPort(b); err != nil {
				bad("broker %q is not host:port", b)
			}
		}
		if checkMatch(bad, "topic", s.Topic, kafkaTopic) {
			checkMatch(bad, "poison_topic", s.PoisonTopic, kafkaTopic)
		}
	case KindWebhook:
		checkWebhookURL(bad, s.URL)
		if _, err := readSecret(s.SecretFile); err != nil {
			bad("secret_file: %v", err)
		}
		if s.CAFile != "" {
			if _, err := loadRoots(s.CAFile); err != nil {
				bad("ca_file: %v", err)
			}
		}
	case KindFile:
		if s.Path == "" {
			bad("path must be set")
		}
		if s.MaxBytes < 4096 || s.Keep < 1 || s.Keep > 1000 {
			bad("max_bytes must be at least 4096 and keep from 1 to 1000")
		}
	default:
		bad("kind %q is not one of nats, amqp, kafka, webhook, file", s.Kind)
	}
	return p
}

func checkMatch(bad func(string, ...any), field, v string, re *regexp.Regexp) bool {
	if !re.MatchString(v) {
		bad("%s %q must match %s", field, v, re)
		return false
	}
	return true
}

func checkURL(bad func(string, ...any), raw string, schemes ...string) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || !slices.Contains(schemes, u.Scheme) {
		bad("url %q is not a %s URL", redact(raw), strings.Join(schemes, "/"))
	}
}

func checkWebhookURL(bad func(string, ...any), raw string) {
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		bad("url %q is not an https URL", redact(raw))
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		bad("url %q: https is required unless the host is loopback", redact(raw))
	}
}

// isLoopback tells whether host is localhost or a loopback address.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// redact hides the password of a URL.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable)"
	}
	return u.Redacted()
}
