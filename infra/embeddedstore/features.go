package embeddedstore

import (
	"context"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/serverfeatures"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
)

// ServerVersion is the EventStoreDB version the store reports. The client parses it as numeric
// major.minor.patch, so it must not carry a suffix.
const ServerVersion = "24.10.0"

// featuresService tells the client which methods exist. Persistent subscriptions and batch
// appends are not offered, so the client never tries them.
type featuresService struct {
	serverfeatures.UnimplementedServerFeaturesServer
}

func (featuresService) GetSupportedMethods(context.Context, *shared.Empty) (*serverfeatures.SupportedMethods, error) {
	const streams = "event_store.client.streams.streams"
	methods := []*serverfeatures.SupportedMethod{}
	for _, m := range []string{"read", "append", "delete", "tombstone"} {
		methods = append(methods, &serverfeatures.SupportedMethod{MethodName: m, ServiceName: streams})
	}
	methods = append(methods, &serverfeatures.SupportedMethod{
		MethodName: "getsupportedmethods", ServiceName: "event_store.client.server_features.serverfeatures"})
	return &serverfeatures.SupportedMethods{Methods: methods, EventStoreServerVersion: ServerVersion}, nil
}
