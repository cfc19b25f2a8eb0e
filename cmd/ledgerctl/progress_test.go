package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestProgressLine(t *testing.T) {
	tests := []struct {
		name              string
		done, total       uint64
		rate              float64
		want, wantPercent string
	}{
		{"start", 0, 1000, 0, "[>                             ]", "  0%"},
		{"half way", 500, 1000, 250, "[===============>              ]", " 50%"},
		{"done", 1000, 1000, 250, "[==============================]", "100%"},
		{"empty store", 0, 0, 0, "[==============================]", "100%"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			line := progressLine("pki", tc.done, tc.total, tc.rate)
			assert.Contains(t, line, tc.want)
			assert.Contains(t, line, tc.wantPercent)
		})
	}
	assert.Contains(t, progressLine("pki", 500, 1000, 250), "ETA 2s")
}

func TestProgressBarPrintsLinesWhenNotOnATerminal(t *testing.T) {
	var out bytes.Buffer
	p := &progressBar{out: &out, label: "pki"}
	p.update(10, 100, 5)
	p.update(20, 100, 5) // within a second of the last line: not printed
	p.update(100, 100, 5)
	p.finish()
	assert.Equal(t, 2, strings.Count(out.String(), "\n"))
	assert.NotContains(t, out.String(), "\r")
}
