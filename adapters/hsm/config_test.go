package hsm_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/hsm"
)

const secretPIN = "s3cr3t-PIN-4711"

func TestConfigNeverShowsThePIN(t *testing.T) {
	cfg := hsm.Config{ModulePath: hsm.SoftHSMModule, TokenLabel: "ca", PIN: secretPIN, MaxSessions: 3}
	logged := func(h func(*bytes.Buffer) slog.Handler) string {
		var buf bytes.Buffer
		slog.New(h(&buf)).Info("opening HSM", "hsm", cfg)
		return buf.String()
	}
	jsonOf := func(v any) string {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		return string(b)
	}
	for _, tc := range []struct {
		name, out string
	}{
		{name: "Sprint", out: fmt.Sprint(cfg)},
		{name: "%v", out: fmt.Sprintf("%v", cfg)},
		{name: "%+v", out: fmt.Sprintf("%+v", cfg)},
		{name: "%#v", out: fmt.Sprintf("%#v", cfg)},
		{name: "%s", out: fmt.Sprintf("%s", cfg)},
		{name: "%q", out: fmt.Sprintf("%q", cfg)},
		{name: "%x", out: fmt.Sprintf("%x", cfg)},
		{name: "%d", out: fmt.Sprintf("%d", cfg)},
		{name: "pointer %+v", out: fmt.Sprintf("%+v", &cfg)},
		{name: "in a struct %+v", out: fmt.Sprintf("%+v", struct{ C hsm.Config }{cfg})},
		{name: "slog text", out: logged(func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) })},
		{name: "slog JSON", out: logged(func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) })},
		{name: "encoding/json", out: jsonOf(cfg)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.NotContains(t, tc.out, secretPIN)
			assert.Contains(t, tc.out, "ca", "the rest of the config is shown")
		})
	}
}

func TestPINFromEnvOrFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
		return p
	}
	pinFile := write("pin", secretPIN+"\n")
	crlfFile := write("pin-crlf", secretPIN+"\r\n")
	emptyFile := write("empty", "\n")
	twoLines := write("two-lines", secretPIN+"\nmore\n")
	t.Setenv("HSM_TEST_PIN", secretPIN)
	t.Setenv("HSM_TEST_EMPTY", "")

	for _, tc := range []struct {
		name, env, file string
		want            string
		wantErr         bool
	}{
		{name: "environment wins over the file", env: "HSM_TEST_PIN", file: emptyFile, want: secretPIN},
		{name: "empty environment falls back to the file", env: "HSM_TEST_EMPTY", file: pinFile, want: secretPIN},
		{name: "file only", file: pinFile, want: secretPIN},
		{name: "CRLF file", file: crlfFile, want: secretPIN},
		{name: "empty file", file: emptyFile, wantErr: true},
		{name: "two lines", file: twoLines, wantErr: true},
		{name: "missing file", file: filepath.Join(dir, "missing"), wantErr: true},
		{name: "nothing set", env: "HSM_TEST_EMPTY", wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := hsm.PINFromEnvOrFile(tc.env, tc.file)
			if tc.wantErr {
				require.ErrorIs(t, err, hsm.ErrInvalidConfig)
				assert.NotContains(t, err.Error(), secretPIN)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}
