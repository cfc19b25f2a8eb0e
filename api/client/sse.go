package client

import (
	"bufio"
	"io"
	"strings"
)

// maxSSELine bounds one line of an event stream: an event's CloudEvent is one data line.
const maxSSELine = 16 << 20

// sseFrame is one Server-Sent Events frame: the id, event and data lines before a blank line.
type sseFrame struct {
	id    string
	hasID bool
	event string
	data  []string
}

// readSSE reads Server-Sent Events frames from r and calls f with each, until r ends (nil, a
// frame left unfinished is dropped) or fails, or f fails (its error). It knows the fields id,
// event and data; a blank line ends a frame, lines starting with ':' are comments and other
// fields are ignored, as the SSE specification says. line is called for every line read,
// comments included, so that the caller sees the connection alive.
func readSSE(r io.Reader, line func(), f func(sseFrame) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxSSELine)
	var fr sseFrame
	for sc.Scan() {
		line()
		text := sc.Text()
		if text == "" {
			if fr.hasID || len(fr.data) > 0 {
				if err := f(fr); err != nil {
					return err
				}
			}
			fr = sseFrame{}
			continue
		}
		if strings.HasPrefix(text, ":") {
			continue
		}
		field, value, _ := strings.Cut(text, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "id":
			fr.id, fr.hasID = value, true
		case "event":
			fr.event = value
		case "data":
			fr.data = append(fr.data, value)
		}
	}
	return sc.Err()
}
