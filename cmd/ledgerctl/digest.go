package main

import (
	"crypto"
	_ "crypto/sha256" // the digests sign file computes
	_ "crypto/sha512"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

var fileDigests = map[string]crypto.Hash{"sha256": crypto.SHA256, "sha384": crypto.SHA384, "sha512": crypto.SHA512}

// digestFile hashes a file as a stream, never holding it whole, with a progress bar on a
// terminal for files of progressFrom bytes or more.
func digestFile(path, alg string, stderr io.Writer) ([]byte, error) {
	h, ok := fileDigests[strings.ToLower(alg)]
	if !ok {
		return nil, fmt.Errorf("digest %q: want sha256, sha384 or sha512 (sha1 and md5 are never signed)", alg)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	d := h.New()
	var r io.Reader = f
	if info.Size() >= progressFrom && isTerminal(stderr) {
		bar := &progressBar{out: stderr, label: "digest", inPlace: true, unit: "bytes"}
		defer bar.finish()
		r = &countingReader{r: f, total: uint64(info.Size()), bar: bar, start: time.Now()}
	}
	if _, err := io.CopyBuffer(d, r, make([]byte, 1<<20)); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return d.Sum(nil), nil
}

// countingReader reports the bytes read to a progress bar.
type countingReader struct {
	r     io.Reader
	done  uint64
	total uint64
	bar   *progressBar
	start time.Time
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.done += uint64(n)
	c.bar.update(c.done, c.total, float64(c.done)/max(time.Since(c.start).Seconds(), 1e-9))
	return n, err
}

// parseMeta reads KEY=VALUE flags.
func parseMeta(pairs []string) (map[string]string, error) {
	if len(pairs) == 0 {
		return nil, nil
	}
	out := map[string]string{}
	for _, p := range pairs {
		k, v, ok := strings.Cut(p, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("--meta %q is not KEY=VALUE", p)
		}
		out[k] = v
	}
	return out, nil
}
