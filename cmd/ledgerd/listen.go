package main

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/cmd/ledgerd/internal/config"
)

// server is one listener of the API: plain HTTP, or the TLS 1.3 listener with client
// certificates.
type server struct {
	srv   *http.Server
	ln    net.Listener
	url   string
	serve func() error
}

// listen opens the HTTP listener and, when configured, the TLS one; both serve e.
func listen(cfg config.Config, e *echo.Echo, reads *readSide, logger *slog.Logger) ([]*server, error) {
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return nil, fmt.Errorf("listening for HTTP on %s: %w", cfg.HTTPAddr, err)
	}
	plain := &server{srv: newHTTPServer(e, logger), ln: ln, url: "http://" + ln.Addr().String()}
	plain.serve = func() error { return plain.srv.Serve(ln) }
	servers := []*server{plain}
	if cfg.TLSAddr == "" {
		return servers, nil
	}
	tlsCfg, err := tlsConfig(cfg, reads.queries, logger)
	if err != nil {
		_ = ln.Close()
		return nil, err
	}
	tln, err := net.Listen("tcp", cfg.TLSAddr)
	if err != nil {
		_ = ln.Close()
		return nil, fmt.Errorf("listening for TLS on %s: %w", cfg.TLSAddr, err)
	}
	secure := &server{srv: newHTTPServer(e, logger), ln: tln, url: "https://" + tln.Addr().String()}
	secure.srv.TLSConfig = tlsCfg
	secure.serve = func() error { return secure.srv.Serve(tls.NewListener(tln, tlsCfg)) }
	logger.Info("TLS listener ready: TLS 1.3, client certificates the ledger issued authenticate", "https", secure.url)
	return append(servers, secure), nil
}

func newHTTPServer(e *echo.Echo, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           e,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}
