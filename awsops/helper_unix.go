//go:build unix

package awsops

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/processcreds"
)

// maxHelperOutput bounds what a credential_process may print: its JSON is
// a few hundred bytes.
const maxHelperOutput = 64 << 10

// helperProvider runs a profile's credential_process as the SDK does
// (`sh -c COMMAND`, its JSON on standard output), with two differences:
// it runs in a process group of its own, ended with everything in it
// (SIGKILL) once it has answered, once its time is up, or when snapcopy
// ends (Client.Close); and its time is snapcopy's deadline. The SDK's own
// provider ends only the shell when its time is up, and waits for the
// shell's children that still hold its output: an SSO helper waiting on a
// browser outlived snapcopy with its children.
type helperProvider struct {
	command string
	timeout time.Duration
	// running holds the helpers running, for the client's Close.
	running *helpers
}

// helpers are the credential_process groups running, ended at once by
// end (Client.Close): snapcopy may exit right after, before a context's
// cancellation would reach them.
type helpers struct {
	mu     sync.Mutex
	ended  bool
	groups map[int]bool
}

// start starts cmd unless the helpers were ended, and notes its group.
func (h *helpers) start(cmd *exec.Cmd) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ended {
		return errors.New("snapcopy is ending")
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	h.groups[cmd.Process.Pid] = true
	return nil
}

// done forgets the group led by pid, once ended.
func (h *helpers) done(pid int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.groups, pid)
}

// end kills every group running, and lets none start after.
func (h *helpers) end() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.ended = true
	for pid := range h.groups {
		_ = endGroup(pid)
	}
}

func (p *helperProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	// The SDK's credentials cache hands a context that is never canceled:
	// the helper's own bound and the client's life end it.
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()

	cmd := exec.CommandContext(ctx, "sh", "-c", p.command)
	cmd.Env = os.Environ()
	cmd.Stderr = os.Stderr // what it says for the operator (where to sign in)
	// In a group of its own the helper cannot read a terminal (it would be
	// stopped): it gets standard input only when that is not a terminal.
	if fi, err := os.Stdin.Stat(); err == nil && fi.Mode()&os.ModeCharDevice == 0 {
		cmd.Stdin = os.Stdin
	}
	var out bytes.Buffer
	cmd.Stdout = &limitedBuffer{buf: &out, left: maxHelperOutput}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return endGroup(cmd.Process.Pid) }
	cmd.WaitDelay = time.Second
	if err := p.running.start(cmd); err != nil {
		return aws.Credentials{}, fmt.Errorf("credential_process %q could not be started: %w", p.command, err)
	}
	err := cmd.Wait()
	if errors.Is(err, exec.ErrWaitDelay) {
		err = nil // it answered and exited; what it left held its output open
	}
	// Whatever it left behind in its group goes with it.
	_ = endGroup(cmd.Process.Pid)
	p.running.done(cmd.Process.Pid)
	if ctx.Err() != nil {
		return aws.Credentials{}, fmt.Errorf("credential_process %q did not answer within %s: it was ended with the processes it started", p.command, seconds(p.timeout))
	}
	if err != nil {
		return aws.Credentials{}, fmt.Errorf("credential_process %q failed: %w", p.command, err)
	}
	return parseHelperOutput(out.Bytes())
}

// parseHelperOutput reads a credential_process's answer, as the SDK does.
func parseHelperOutput(out []byte) (aws.Credentials, error) {
	var r processcreds.CredentialProcessResponse
	if err := json.Unmarshal(out, &r); err != nil {
		return aws.Credentials{}, fmt.Errorf("credential_process printed no credentials JSON: %w", err)
	}
	switch {
	case r.Version != 1:
		return aws.Credentials{}, errors.New("credential_process printed a Version other than 1")
	case r.AccessKeyID == "" || r.SecretAccessKey == "":
		return aws.Credentials{}, errors.New("credential_process printed no AccessKeyId or SecretAccessKey")
	}
	c := aws.Credentials{
		Source:          processcreds.ProviderName,
		AccessKeyID:     r.AccessKeyID,
		SecretAccessKey: r.SecretAccessKey,
		SessionToken:    r.SessionToken,
		AccountID:       r.AccountID,
	}
	if r.Expiration != nil {
		c.CanExpire, c.Expires = true, *r.Expiration
	}
	return c, nil
}

// endGroup kills the process group led by pid; a group already gone is
// not an error.
func endGroup(pid int) error {
	if err := syscall.Kill(-pid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return err
	}
	return nil
}

// limitedBuffer keeps at most left more bytes, dropping the rest.
type limitedBuffer struct {
	buf  *bytes.Buffer
	left int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	n := len(p)
	if len(p) > l.left {
		p = p[:l.left]
	}
	l.left -= len(p)
	l.buf.Write(p)
	return n, nil
}

var _ io.Writer = (*limitedBuffer)(nil)

// helperCredentials puts snapcopy's runner of the profile's
// credential_process in place of the SDK's, when the configuration loaded
// resolved to it, and returns what ends the helpers running.
func helperCredentials(cfg *aws.Config, timeout time.Duration) (end func()) {
	command, ok := credentialProcessOf(*cfg)
	if !ok {
		return func() {}
	}
	running := &helpers{groups: map[int]bool{}}
	cfg.Credentials = aws.NewCredentialsCache(&helperProvider{command: command, timeout: timeout, running: running})
	return running.end
}
