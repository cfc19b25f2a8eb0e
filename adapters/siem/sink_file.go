package siem

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ThreeDotsLabs/watermill/message"
)

// filePublisher is a watermill Publisher that appends one JSON line per message to a file: the
// payload (the CloudEvent) as it is, or, for a poison file, {"uuid","metadata","payload"} so the
// reason for poisoning is kept. One goroutine writes: it takes every Publish waiting, writes
// their lines, fsyncs once and only then returns from those Publish calls (group commit). Before
// a line would take the file past maxBytes it rotates: name.(k) becomes name.(k+1), name becomes
// name.1, and only name.1 … name.keep are kept.
type filePublisher struct {
	path     string
	maxBytes int64
	keep     int
	poison   bool

	requests chan fileRequest
	closing  chan struct{}
	stopped  chan struct{}

	f    *os.File // owned by the writer goroutine
	size int64
}

type fileRequest struct {
	lines [][]byte
	done  chan error
}

// maxGroup bounds how many Publish calls one fsync covers.
const maxGroup = 1024

func newFilePublisher(path string, maxBytes int64, keep int, poison bool) *filePublisher {
	p := &filePublisher{path: path, maxBytes: maxBytes, keep: keep, poison: poison,
		requests: make(chan fileRequest), closing: make(chan struct{}), stopped: make(chan struct{})}
	go p.write()
	return p
}

// Publish appends the messages and returns once they are on disk.
func (p *filePublisher) Publish(_ string, msgs ...*message.Message) error {
	req := fileRequest{done: make(chan error, 1)}
	for _, msg := range msgs {
		line, err := p.line(msg)
		if err != nil {
			return fmt.Errorf("encode event %s: %w", msg.UUID, err)
		}
		req.lines = append(req.lines, line)
	}
	select {
	case p.requests <- req:
		return <-req.done
	case <-p.closing:
		return unavailable(errors.New("file sink closed"))
	}
}

func (p *filePublisher) line(msg *message.Message) ([]byte, error) {
	if !p.poison {
		return append(append([]byte{}, msg.Payload...), '\n'), nil
	}
	b, err := json.Marshal(struct {
		UUID     string            `json:"uuid"`
		Metadata map[string]string `json:"metadata"`
		Payload  json.RawMessage   `json:"payload"`
	}{msg.UUID, msg.Metadata, json.RawMessage(msg.Payload)})
	return append(b, '\n'), err
}

// Close stops the writer and closes the file.
func (p *filePublisher) Close() error {
	select {
	case <-p.closing:
	default:
		close(p.closing)
	}
	<-p.stopped
	return nil
}

// write serves the Publish calls until Close.
func (p *filePublisher) write() {
	defer close(p.stopped)
	defer func() {
		if p.f != nil {
			_ = p.f.Close()
		}
	}()
	for {
		var group []fileRequest
		select {
		case req := <-p.requests:
			group = append(group, req)
		case <-p.closing:
			return
		}
	gather:
		for len(group) < maxGroup {
			select {
			case req := <-p.requests:
				group = append(group, req)
			default:
				break gather
			}
		}
		err := p.writeGroup(group)
		for _, req := range group {
			req.done <- err
		}
	}
}

// writeGroup writes and syncs the lines of a group. On failure it cuts the file back to where the
// group began and closes it, so no partial line stays; the next group reopens it.
func (p *filePublisher) writeGroup(group []fileRequest) error {
	if err := p.open(); err != nil {
		return unavailable(err)
	}
	start := p.size
	err := func() error {
		for _, req := range group {
			for _, line := range req.lines {
				if p.size > 0 && p.size+int64(len(line)) > p.maxBytes {
					if err := p.rotate(); err != nil {
						return err
					}
					start = 0
				}
				n, err := p.f.Write(line)
				p.size += int64(n)
				if err != nil {
					return err
				}
			}
		}
		return p.f.Sync()
	}()
	if err != nil {
		if p.f != nil {
			_ = p.f.Truncate(start)
			_ = p.f.Close()
		}
		p.f = nil
		return unavailable(fmt.Errorf("write %s: %w", p.path, err))
	}
	return nil
}

// open opens the file for appending unless it is open.
func (p *filePublisher) open() error {
	if p.f != nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(p.path), 0o750); err != nil {
		return err
	}
	f, err := os.OpenFile(p.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
	if err != nil {
		return err
	}
	info, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return err
	}
	p.f, p.size = f, info.Size()
	return nil
}

// rotate syncs and closes the file, shifts the rotated files by one, and opens a new file.
func (p *filePublisher) rotate() error {
	if err := p.f.Sync(); err != nil {
		return err
	}
	_ = p.f.Close()
	p.f = nil
	if err := os.Remove(fmt.Sprintf("%s.%d", p.path, p.keep)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	for k := p.keep - 1; k >= 1; k-- {
		err := os.Rename(fmt.Sprintf("%s.%d", p.path, k), fmt.Sprintf("%s.%d", p.path, k+1))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	if err := os.Rename(p.path, p.path+".1"); err != nil {
		return err
	}
	if dir, err := os.Open(filepath.Dir(p.path)); err == nil {
		_ = dir.Sync() // make the renames durable
		_ = dir.Close()
	}
	return p.open()
}
