// Package embeddedstore is an event store that speaks EventStoreDB's gRPC protocol, so that the
// official EventStoreDB Go client can use it unchanged. ledgerd runs it in-process when no external
// EventStoreDB is configured, and the tests run it always.
//
// Invariants:
//   - An append is acknowledged only after its events are fsynced to Pebble; after a crash every
//     acknowledged event is there and no part of an unacknowledged append is visible.
//   - Events of one append are contiguous in $all and in their stream; positions in $all grow
//     strictly, and revisions in a stream grow by one.
//   - A retried append whose event ids are already stored at the expected place succeeds without
//     writing again (EventStoreDB's idempotency).
//   - No request, however malformed, panics the server: errors go back as gRPC statuses.
package embeddedstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/serverfeatures"
	api "github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/keepalive"
	"google.golang.org/grpc/status"
)

// DefaultMaxAppendSize is the largest append accepted by default, counted as EventStoreDB counts
// it (data, custom metadata and twice the event type of every event): EventStoreDB's default.
const DefaultMaxAppendSize = 1 << 20

// Config says where the embedded store keeps its data and where it listens.
type Config struct {
	// Dir is the folder of the Pebble database; it is created when missing.
	Dir string
	// Addr is the TCP address to listen on, such as "127.0.0.1:2113" or "127.0.0.1:0".
	Addr string
	// MaxAppendSize bounds one append's events; 0 means DefaultMaxAppendSize.
	MaxAppendSize int
	// Logger receives the store's logs; nil means slog.Default().
	Logger *slog.Logger
}

// Server is a running embedded store.
type Server struct {
	grpc     *grpc.Server
	listener net.Listener
	store    *storage
	writer   *writer
	stopping chan struct{}
	log      *slog.Logger
	once     sync.Once
	closeErr error
}

// Start opens the storage under cfg.Dir and serves the EventStoreDB protocol on cfg.Addr.
func Start(cfg Config) (*Server, error) {
	if cfg.Dir == "" {
		return nil, errors.New("embedded event store: no data directory configured")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxAppendSize <= 0 {
		cfg.MaxAppendSize = DefaultMaxAppendSize
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("embedded event store: create %s: %w", cfg.Dir, err)
	}
	store, err := openStorage(cfg.Dir, cfg.Logger)
	if err != nil {
		return nil, err
	}
	last, err := store.lastPosition()
	if err != nil {
		_ = store.close()
		return nil, fmt.Errorf("embedded event store: find the last position: %w", err)
	}
	lis, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		_ = store.close()
		return nil, fmt.Errorf("embedded event store: listen on %s: %w", cfg.Addr, err)
	}
	n := newNotifier()
	s := &Server{listener: lis, store: store, writer: newWriter(store.db, last, n), stopping: make(chan struct{}), log: cfg.Logger}
	s.grpc = grpc.NewServer(
		grpc.MaxRecvMsgSize(cfg.MaxAppendSize+1<<20),
		grpc.MaxSendMsgSize(cfg.MaxAppendSize+1<<20),
		// The client pings every 10 s even when idle; grpc-go's default policy would answer
		// "too_many_pings" and drop live subscriptions.
		grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{MinTime: 5 * time.Second, PermitWithoutStream: true}),
		grpc.ChainUnaryInterceptor(s.recoverUnary),
		grpc.ChainStreamInterceptor(s.recoverStream),
	)
	api.RegisterStreamsServer(s.grpc, &streamsService{store: store, writer: s.writer, notify: n,
		stopping: s.stopping, maxAppendSize: cfg.MaxAppendSize})
	serverfeatures.RegisterServerFeaturesServer(s.grpc, featuresService{})
	go s.writer.run()
	go func() {
		if err := s.grpc.Serve(lis); err != nil {
			s.log.Error("embedded event store stopped serving", "err", err)
		}
	}()
	s.log.Info("embedded event store started", "addr", s.Addr(), "dir", cfg.Dir, "last_position", last)
	return s, nil
}

// Addr returns the address the server listens on, with the real port when cfg.Addr ended in ":0".
func (s *Server) Addr() string { return s.listener.Addr().String() }

// URL returns the connection string for the EventStoreDB client, such as
// "esdb://127.0.0.1:2113?tls=false".
func (s *Server) URL() string { return "esdb://" + s.Addr() + "?tls=false" }

// Close stops serving, ends live subscriptions, lets queued appends finish and closes the storage.
// It is safe to call twice.
func (s *Server) Close() error {
	s.once.Do(func() {
		close(s.stopping)
		done := make(chan struct{})
		go func() { s.grpc.GracefulStop(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			s.grpc.Stop()
			<-done
		}
		s.writer.stop()
		s.closeErr = s.store.close()
		s.log.Info("embedded event store closed")
	})
	return s.closeErr
}

// recoverUnary and recoverStream turn a panic in a handler into an Internal status, so that no
// request can take the store down.
func (s *Server) recoverUnary(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (resp any, err error) {
	defer s.recoverInto(info.FullMethod, &err)
	return next(ctx, req)
}

func (s *Server) recoverStream(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, next grpc.StreamHandler) (err error) {
	defer s.recoverInto(info.FullMethod, &err)
	return next(srv, ss)
}

func (s *Server) recoverInto(method string, err *error) {
	if r := recover(); r != nil {
		s.log.Error("embedded event store: handler panicked", "method", method, "panic", r, "stack", string(debug.Stack()))
		*err = status.Errorf(codes.Internal, "internal error in %s", method)
	}
}

// streamsService implements the Streams service of the protocol.
type streamsService struct {
	api.UnimplementedStreamsServer
	store         *storage
	writer        *writer
	notify        *notifier
	stopping      <-chan struct{}
	maxAppendSize int
}
