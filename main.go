// Command snapcopy copies Amazon EBS snapshots and watches the copies finish.
package main

import (
	"os"

	"github.com/snapcopy/snapcopy/ui/cmd"
	"github.com/snapcopy/snapcopy/ui/cmd/cli"
	"github.com/snapcopy/snapcopy/ui/cmd/connect"
)

// stampedVersion is set at build time (-ldflags "-X main.stampedVersion=...").
var stampedVersion = "dev"

func main() {
	os.Exit(cli.Run(os.Args[1:], cmd.Env{Stdout: os.Stdout, Stderr: os.Stderr, Connect: connect.Connect, Version: stampedVersion}))
}
