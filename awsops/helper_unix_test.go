//go:build unix

package awsops

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A profile's credential_process gives the credentials it prints, as with
// the SDK's own runner; what it left running in its group is ended once
// it has answered.
func TestCredentialProcessAnswersAndLeavesNothingBehind(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "child.pid")
	script := filepath.Join(dir, "helper.sh")
	helper := "#!/bin/sh\nsleep 1000 &\necho $! > " + pidFile + "\n" +
		`echo '{"Version":1,"AccessKeyId":"AKIDHELPER","SecretAccessKey":"helper-secret","SessionToken":"tok","Expiration":"2099-01-01T00:00:00Z"}'` + "\n"
	if err := os.WriteFile(script, []byte(helper), 0o700); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, "config")
	if err := os.WriteFile(config, []byte("[profile helper]\ncredential_process = "+script+"\nregion = us-west-2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CONFIG_FILE", config)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "none"))
	for _, v := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"} {
		t.Setenv(v, "")
		os.Unsetenv(v)
	}
	c, err := New(context.Background(), Options{Profile: "helper"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.CheckCredentials(context.Background()); err != nil {
		t.Fatal(err)
	}
	creds, err := c.cfg.Credentials.Retrieve(context.Background())
	if err != nil || creds.AccessKeyID != "AKIDHELPER" || creds.SessionToken != "tok" || !creds.CanExpire || creds.Expires.Year() != 2099 {
		t.Errorf("credentials %+v, %v", creds, err)
	}
	b, _ := os.ReadFile(pidFile)
	child, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	if child == 0 {
		t.Fatal("the helper did not start its child")
	}
	t.Cleanup(func() { _ = syscall.Kill(child, syscall.SIGKILL) })
	for end := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		stat, err := os.ReadFile("/proc/" + strconv.Itoa(child) + "/stat")
		if err != nil || strings.Contains(string(stat), ") Z ") {
			break // gone, or ended and waiting to be reaped
		}
		if time.Now().After(end) {
			t.Fatalf("the helper's child %d still runs after it answered", child)
		}
	}
}
