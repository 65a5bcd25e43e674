package tui

import (
	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/ui/cmd"
	"github.com/snapcopy/snapcopy/ui/profiles"
)

// screenProfiles are the profiles the picker offers and opens: those of
// the AWS CLI's files (with --demo, the demo's own: package connect had
// the SDK read them).
func screenProfiles(conn cmd.Connection) *profiles.Clients {
	clients := profiles.NewClients(awsops.DefaultProfileFiles(), profiles.OpenBeside(conn.Client))
	clients.Add(conn.Profile, conn.Client)
	return clients
}
