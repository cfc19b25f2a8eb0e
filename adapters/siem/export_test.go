package siem

import "github.com/ThreeDotsLabs/watermill/message"

// SetSinkPublishers replaces the publishers of a sink of f before Run, for tests of the
// forwarder's own behaviour.
func SetSinkPublishers(f *Forwarder, name string, pub, poison message.Publisher) {
	for _, s := range f.sinks {
		if s.name == name {
			_ = s.sink.close()
			s.sink = &sink{pub: pub, topic: name, poison: poison, poisonTopic: name + ".poison"}
		}
	}
}
