package hsm

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// SoftHSMModule is where Debian's libsofthsm2 package puts the SoftHSMv2 PKCS#11 module.
const SoftHSMModule = "/usr/lib/softhsm/libsofthsm2.so"

// softHSMModules are tried in order; the first that exists is used.
var softHSMModules = []string{
	SoftHSMModule,
	"/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
	"/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
	"/usr/local/lib/softhsm/libsofthsm2.so",
	"/usr/lib64/pkcs11/libsofthsm2.so",
}

// ProvisionSoftHSM makes dir a SoftHSMv2 home for this process and returns the Config to Open
// its token: it writes dir/softhsm2.conf (tokens in dir/tokens, file object store), points
// SOFTHSM2_CONF at it for this process, and initialises a token labelled label with the user
// PIN pin and the SO PIN soPIN, unless a token with that label is already there. So calling it
// at every start is safe: the token and its keys survive restarts.
//
// SoftHSM reads SOFTHSM2_CONF when the module is initialised, so ProvisionSoftHSM must run
// before Open; while an HSM is open it returns ErrAlreadyOpen. softhsm2-util takes the PINs on
// its command line, so they are visible to local users in the process list while the token is
// initialised (once per token); they are never logged or put in errors. If SoftHSMv2 is not
// installed the error is ErrSoftHSMNotInstalled (`go tool task deps` installs it).
func ProvisionSoftHSM(dir, label, pin, soPIN string) (Config, error) {
	switch {
	case dir == "" || label == "":
		return Config{}, fmt.Errorf("%w: ProvisionSoftHSM needs a directory and a token label", ErrInvalidConfig)
	case len(label) > 32:
		return Config{}, fmt.Errorf("%w: token label %q is longer than PKCS#11's 32 bytes", ErrInvalidConfig, label)
	case pin == "" || soPIN == "":
		return Config{}, fmt.Errorf("%w: ProvisionSoftHSM needs a PIN and an SO PIN for token %q", ErrInvalidConfig, label)
	}
	module, util, err := findSoftHSM()
	if err != nil {
		return Config{}, err
	}

	openMu.Lock()
	defer openMu.Unlock()
	if open != nil {
		return Config{}, fmt.Errorf("%w (token %q): provision SoftHSM before Open", ErrAlreadyOpen, open.token)
	}

	conf, err := writeSoftHSMConf(dir)
	if err != nil {
		return Config{}, err
	}
	if err := os.Setenv("SOFTHSM2_CONF", conf); err != nil {
		return Config{}, fmt.Errorf("hsm: set SOFTHSM2_CONF: %w", err)
	}
	env := append(os.Environ(), "SOFTHSM2_CONF="+conf)

	labels, err := softHSMTokenLabels(util, env)
	if err != nil {
		return Config{}, err
	}
	if _, ok := labels[label]; !ok {
		cmd := exec.Command(util, "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", soPIN)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			msg := redact(redact(strings.TrimSpace(string(out)), pin), soPIN)
			return Config{}, fmt.Errorf("hsm: softhsm2-util --init-token --label %q in %q: %v: %s", label, dir, err, msg)
		}
	}
	return Config{ModulePath: module, TokenLabel: label, PIN: pin, MaxSessions: DefaultMaxSessions()}, nil
}

// findSoftHSM returns the SoftHSM module and the softhsm2-util binary.
func findSoftHSM() (module, util string, err error) {
	util, err = exec.LookPath("softhsm2-util")
	if err != nil {
		return "", "", fmt.Errorf("%w: softhsm2-util is not on PATH", ErrSoftHSMNotInstalled)
	}
	for _, m := range softHSMModules {
		if info, err := os.Stat(m); err == nil && info.Mode().IsRegular() {
			return m, util, nil
		}
	}
	return "", "", fmt.Errorf("%w: no libsofthsm2.so in %s", ErrSoftHSMNotInstalled, strings.Join(softHSMModules, ", "))
}

// writeSoftHSMConf writes dir/softhsm2.conf (and makes dir/tokens) and returns its absolute path.
func writeSoftHSMConf(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("hsm: SoftHSM directory %q: %w", dir, err)
	}
	tokens := filepath.Join(abs, "tokens")
	if err := os.MkdirAll(tokens, 0o700); err != nil {
		return "", fmt.Errorf("hsm: make SoftHSM token directory: %w", err)
	}
	conf := filepath.Join(abs, "softhsm2.conf")
	content := "# Written by certledger (adapters/hsm.ProvisionSoftHSM).\n" +
		"directories.tokendir = " + tokens + "\n" +
		"objectstore.backend = file\n" +
		"log.level = ERROR\n" +
		"slots.removable = false\n"
	if err := os.WriteFile(conf, []byte(content), 0o600); err != nil {
		return "", fmt.Errorf("hsm: write %q: %w", conf, err)
	}
	return conf, nil
}

// softHSMTokenLabels lists the labels of the initialised tokens, from softhsm2-util --show-slots.
func softHSMTokenLabels(util string, env []string) (map[string]struct{}, error) {
	cmd := exec.Command(util, "--show-slots")
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("hsm: softhsm2-util --show-slots: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	labels := map[string]struct{}{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if l, ok := strings.CutPrefix(line, "Label:"); ok {
			if l = strings.TrimSpace(l); l != "" {
				labels[l] = struct{}{}
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, errors.Join(errors.New("hsm: read softhsm2-util --show-slots output"), err)
	}
	return labels, nil
}
