package conformance_test

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/certledger/certledger/infra/embeddedstore"
	"github.com/certledger/certledger/tests/testutil"
)

// crashChildEnv names the data folder when the test binary runs as the store process of the crash test.
const crashChildEnv = "CERTLEDGER_CRASH_CHILD_DIR"

// crashChildDir returns the data folder when this process is a crash-test child, or "".
func crashChildDir() string { return os.Getenv(crashChildEnv) }

// runCrashChild serves the embedded store on dir, prints "ADDR host:port" and serves until it is
// killed or its stdin closes (the parent is gone).
func runCrashChild(dir string) {
	srv, err := embeddedstore.Start(embeddedstore.Config{Dir: dir, Addr: "127.0.0.1:0"})
	if err != nil {
		fmt.Fprintln(os.Stderr, "start embedded store:", err)
		os.Exit(2)
	}
	fmt.Printf("ADDR %s\n", srv.Addr())
	_, _ = io.Copy(io.Discard, os.Stdin)
	_ = srv.Close()
	os.Exit(0)
}

// child is the test binary re-run as a store process.
type child struct {
	cmd    *exec.Cmd
	addr   string
	stderr *testutil.SyncBuffer
}

// startChild runs a store process on dir and waits for its address.
func startChild(t *testing.T, dir string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
	ch := &child{cmd: cmd, stderr: &testutil.SyncBuffer{}}
	cmd.Stderr = ch.stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stdin.Close(); ch.kill() })

	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "ADDR "); ok {
				addr <- a
			}
		}
	}()
	select {
	case ch.addr = <-addr:
		return ch
	case <-time.After(30 * time.Second):
		t.Fatalf("store process printed no address within 30 s; stderr:\n%s", ch.stderr)
		return nil
	}
}

// kill ends the store process with SIGKILL, as a power cut would, and reaps it.
func (ch *child) kill() {
	if ch.cmd.ProcessState != nil {
		return
	}
	_ = ch.cmd.Process.Signal(syscall.SIGKILL)
	_ = ch.cmd.Wait()
}
