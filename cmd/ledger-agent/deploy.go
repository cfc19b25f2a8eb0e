package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/certledger/certledger/adapters/certfiles"
	"github.com/certledger/certledger/adapters/certinstall"
	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/domain"
)

// hookTimeout bounds one run of a reload hook.
const hookTimeout = time.Minute

// refusal is a task the host's configuration does not allow; nothing was written.
type refusal struct{ error }

// deploy runs one task to its end and reports it; an error reaching the ledger leaves the task
// open, to be taken up again from the next poll with the key kept for it.
func (a *agent) deploy(ctx context.Context, t wire.Deployment) {
	log := a.log.With("deployment", t.ID)
	r, err := a.install(ctx, t)
	var refused refusal
	switch {
	case err == nil:
		log.Info("deployed", "fingerprint", r.Fingerprint, "served", r.ServedFingerprint)
	case errors.As(err, &refused):
		log.Warn("refused", "error", err)
		r = wire.DeploymentReport{Reason: "refused: " + err.Error()}
	case ctx.Err() != nil:
		return
	case r.Reason == "": // the ledger could not be reached or refused the CSR: try again later
		log.Warn("deployment not started", "error", err)
		return
	default:
		log.Warn("deployment failed", "error", err)
	}
	if err := a.report(ctx, t.ID, r); err != nil {
		log.Warn("report failed; the task stays open", "error", err)
		return
	}
	a.ended[t.ID] = true
	a.forgetKey(t.ID)
}

// install makes the key, gets the certificate, installs, runs the hook and verifies. A
// failure after files were replaced rolls back, reruns the hook, and answers the report.
func (a *agent) install(ctx context.Context, t wire.Deployment) (wire.DeploymentReport, error) {
	if err := a.allowed(t.Target); err != nil {
		return wire.DeploymentReport{}, err
	}
	key, err := a.deploymentKey(t)
	if err != nil {
		return wire.DeploymentReport{Reason: "the deployment's key: " + err.Error()}, err
	}
	csr, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{DNSNames: t.DNSNames}, key)
	if err != nil {
		return wire.DeploymentReport{Reason: "CSR: " + err.Error()}, err
	}
	chain, err := a.api.DeploymentCSR(ctx, t.ID, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: csr})))
	var refused *client.Error
	if errors.As(err, &refused) && refused.Status >= 400 && refused.Status < 500 && refused.Status != 429 &&
		(refused.Status != 409 || strings.Contains(err.Error(), "another key")) { // a 409 else waits for approval
		return wire.DeploymentReport{Reason: "the ledger refused the CSR: " + err.Error()}, err
	}
	if err != nil {
		return wire.DeploymentReport{}, err // unreachable, or waiting for approval (409): later
	}
	m, err := material(chain, key)
	if err != nil {
		return wire.DeploymentReport{Reason: err.Error()}, err
	}
	files, err := a.files(t.Target, m)
	if err != nil {
		return wire.DeploymentReport{Reason: err.Error()}, err
	}
	d, err := a.inst.Install(t.ID, files)
	if err != nil {
		return wire.DeploymentReport{Reason: "install: " + err.Error(), RolledBack: true}, err
	}
	r, err := a.activate(ctx, t.Target, m)
	if err != nil {
		r = wire.DeploymentReport{Reason: err.Error(), RolledBack: true}
		if rb := d.Rollback(); rb != nil {
			r.Reason, r.RolledBack = err.Error()+"; the rollback failed too: "+rb.Error(), false
		}
		_ = a.runHook(ctx, t.Target.Hook)
		return r, err
	}
	if err := d.Commit(); err != nil {
		return wire.DeploymentReport{Reason: "commit: " + err.Error()}, err
	}
	return r, nil
}

// activate runs the hook and verifies what the host now has and serves.
func (a *agent) activate(ctx context.Context, t domain.DeploymentTarget, m certinstall.Material) (wire.DeploymentReport, error) {
	if err := a.runHook(ctx, t.Hook); err != nil {
		return wire.DeploymentReport{}, err
	}
	got, err := readBack(t, a.cfg.KeystorePassword)
	if err != nil {
		return wire.DeploymentReport{}, fmt.Errorf("read back: %w", err)
	}
	want := fingerprint(m.Leaf.Raw)
	if got != want {
		return wire.DeploymentReport{}, fmt.Errorf("read back %s, not the certificate issued (%s)", got, want)
	}
	r := wire.DeploymentReport{Succeeded: true, Fingerprint: got}
	if t.VerifyEndpoint != "" {
		name := t.ServerName
		if name == "" {
			name = m.Leaf.DNSNames[0]
		}
		served, err := a.verify.served(ctx, t.VerifyEndpoint, name, want)
		if err != nil {
			return wire.DeploymentReport{}, fmt.Errorf("verify %s: %w", t.VerifyEndpoint, err)
		}
		if served != want {
			return wire.DeploymentReport{}, fmt.Errorf("%s serves %s, not the certificate issued (%s)", t.VerifyEndpoint, served, want)
		}
		r.ServedFingerprint = served
	}
	return r, nil
}

// allowed refuses a target outside the host's configuration before anything is made: a path
// whose directory does not resolve under an allowed root, or a hook the host does not name.
func (a *agent) allowed(t domain.DeploymentTarget) error {
	for _, p := range t.Paths() {
		if _, err := certfiles.Within(a.cfg.AllowedRoots, filepath.Dir(p)); err != nil {
			return refusal{fmt.Errorf("%s is outside the allowed roots: %w", p, err)}
		}
	}
	if _, ok := a.cfg.Hooks[t.Hook]; t.Hook != "" && !ok {
		return refusal{fmt.Errorf("the host has no hook %q", t.Hook)}
	}
	return nil
}

// runHook runs a named hook of the host's configuration, never anything else.
func (a *agent) runHook(ctx context.Context, name string) error {
	if name == "" {
		return nil
	}
	argv := a.cfg.Hooks[name]
	ctx, cancel := context.WithTimeout(ctx, hookTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, argv[0], argv[1:]...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("hook %s: %w: %s", name, err, out)
	}
	return nil
}

// deploymentKey is the task's key, made on the host and kept 0600 with the task until the
// deployment ends, so a resumed task sends the same key and gets the same certificate.
func (a *agent) deploymentKey(t wire.Deployment) (*ecdsa.PrivateKey, error) {
	raw, err := json.Marshal(t)
	if err == nil {
		err = writeFile(a.keyPath(t.ID, ".json"), raw, 0o600)
	}
	if err != nil {
		return nil, err
	}
	return loadOrCreateKey(a.keyPath(t.ID, ".key"))
}

func (a *agent) keyPath(id, ext string) string { return filepath.Join(a.inst.StateDir, "keys", id+ext) }

// forgetKey removes an ended deployment's key and task.
func (a *agent) forgetKey(id string) {
	_ = os.Remove(a.keyPath(id, ".key"))
	_ = os.Remove(a.keyPath(id, ".json"))
}

// runHookAfterRollback reruns the hook of a deployment a crash interrupted, so the server
// serves the files put back.
func (a *agent) runHookAfterRollback(ctx context.Context, id string) {
	var t wire.Deployment
	if raw, err := os.ReadFile(a.keyPath(id, ".json")); err == nil && json.Unmarshal(raw, &t) == nil {
		if err := a.runHook(ctx, t.Target.Hook); err != nil {
			a.log.Warn("hook after rollback failed", "deployment", id, "error", err)
		}
	}
}
