package conformance_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"
)

// eventStoreDBImage is the real EventStoreDB the embedded store is compared with.
const eventStoreDBImage = "eventstore/eventstore:24.10"

// startEventStoreDB runs EventStoreDB in a container and returns its connection string; without a
// Docker engine the test is skipped, with the reason.
func startEventStoreDB(t *testing.T) string {
	t.Helper()
	if err := dockerEngine(10 * time.Second); err != nil {
		t.Skipf("no Docker engine: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	ctr, err := testcontainers.Run(ctx, eventStoreDBImage,
		testcontainers.WithExposedPorts("2113/tcp"),
		testcontainers.WithEnv(map[string]string{
			"EVENTSTORE_INSECURE":        "true",
			"EVENTSTORE_MEM_DB":          "true",
			"EVENTSTORE_RUN_PROJECTIONS": "None",
		}),
		testcontainers.WithWaitStrategy(wait.ForHTTP("/health/live").WithPort("2113/tcp").
			WithStatusCodeMatcher(func(code int) bool { return code/100 == 2 }). // it answers 204
			WithStartupTimeout(2*time.Minute)),
	)
	testcontainers.CleanupContainer(t, ctr)
	require.NoError(t, err, "start %s", eventStoreDBImage)
	endpoint, err := ctr.PortEndpoint(ctx, "2113/tcp", "")
	require.NoError(t, err)
	return "esdb://" + endpoint + "?tls=false"
}

// dockerEngine reports why no Docker engine answers within timeout, or nil when one does. The probe
// runs aside, so a hanging socket cannot hold the test past timeout.
func dockerEngine(timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	result := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				result <- fmt.Errorf("testcontainers: %v", r)
			}
		}()
		provider, err := testcontainers.ProviderDocker.GetProvider()
		if err != nil {
			result <- err
			return
		}
		defer provider.Close()
		result <- provider.Health(ctx)
	}()
	select {
	case err := <-result:
		return err
	case <-ctx.Done():
		return fmt.Errorf("no answer within %v", timeout)
	}
}
