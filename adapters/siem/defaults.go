package siem

import (
	"os"
	"time"
)

// Defaults of the configuration.
const (
	DefaultMaxInFlight     = 256
	DefaultMaxRetries      = 5
	DefaultInitialInterval = 200 * time.Millisecond
	DefaultMaxInterval     = 30 * time.Second
	DefaultNATSStream      = "CERTLEDGER"
	DefaultDuplicateWindow = 2 * time.Minute
	DefaultRoutingKey      = "certledger.events"
	DefaultWebhookTimeout  = 10 * time.Second
	DefaultMaxBytes        = 100 << 20
	DefaultKeep            = 10
)

// setDefaults fills in what the file leaves out.
func (c *Config) setDefaults() {
	if c.Source == "" {
		host, err := os.Hostname()
		if err != nil || host == "" {
			host = "localhost"
		}
		c.Source = "urn:certledger:" + host
	}
	if c.Retry.MaxRetries == nil {
		n := DefaultMaxRetries
		c.Retry.MaxRetries = &n
	}
	c.Retry.InitialInterval = orDefault(c.Retry.InitialInterval, DefaultInitialInterval)
	c.Retry.MaxInterval = orDefault(c.Retry.MaxInterval, DefaultMaxInterval)
	for i := range c.Sinks {
		s := &c.Sinks[i]
		if s.MaxInFlight == 0 {
			s.MaxInFlight = DefaultMaxInFlight
		}
		switch s.Kind {
		case KindNATS:
			s.Stream = or(s.Stream, DefaultNATSStream)
			s.DuplicateWindow = orDefault(s.DuplicateWindow, DefaultDuplicateWindow)
			s.PoisonSubject = or(s.PoisonSubject, s.Subject+".poison")
		case KindAMQP:
			s.RoutingKey = or(s.RoutingKey, DefaultRoutingKey)
			s.PoisonRoutingKey = or(s.PoisonRoutingKey, s.RoutingKey+".poison")
		case KindKafka:
			s.PoisonTopic = or(s.PoisonTopic, s.Topic+".poison")
		case KindWebhook:
			s.Timeout = orDefault(s.Timeout, DefaultWebhookTimeout)
		case KindFile:
			s.PoisonPath = or(s.PoisonPath, s.Path+".poison")
			if s.MaxBytes == 0 {
				s.MaxBytes = DefaultMaxBytes
			}
			if s.Keep == 0 {
				s.Keep = DefaultKeep
			}
		}
	}
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func orDefault(d Duration, def time.Duration) Duration {
	if d == 0 {
		return Duration(def)
	}
	return d
}
