package ui

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/ui/form"
	"github.com/snapcopy/snapcopy/ui/profiles"
	"github.com/snapcopy/snapcopy/ui/progress"
	"github.com/snapcopy/snapcopy/ui/status"
)

// openFor bounds opening a profile chosen in the picker: its credentials
// (a credential_process has 20 s, an assumed role an STS call) and its
// account.
const openFor = 45 * time.Second

// profileOpened carries the client of a profile chosen in the picker.
type profileOpened struct {
	profile awsops.Profile
	client  *awsops.Client
	account string
	err     error
}

// newPicker is the profile picker over opts.Profiles (nil: no picker).
func newPicker(opts Options) profiles.Model {
	var files awsops.ProfileFiles
	if opts.Profiles != nil {
		files = opts.Profiles.Files()
	}
	return profiles.New(opts.Profiles, profiles.Options{Current: opts.Profile, Files: files, Help: keys.Help})
}

// openPicker shows the profile picker, which reads the profiles afresh.
func (a App) openPicker() (tea.Model, tea.Cmd) {
	a.current = onProfiles
	var cmd tea.Cmd
	a.picker, cmd = a.picker.Open(a.list.Profile())
	a.picker.SetSize(a.width, a.height)
	return a, cmd
}

// chooseProfile opens the chosen profile's client (and asks its account
// if the picker did not know it yet) in a tea.Cmd; the picker stays until
// it is open, so a profile that cannot be opened is said over it.
func (a App) chooseProfile(msg profiles.Chosen) (tea.Model, tea.Cmd) {
	if msg.Profile.Name == a.list.Profile() {
		a.current = onList
		return a, nil
	}
	a.status.Show(status.Info, "opening profile "+msg.Profile.Name+"…")
	clients, ctx := a.opts.Profiles, a.opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	return a, func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, openFor)
		defer cancel()
		c, err := clients.Client(ctx, msg.Profile.Name)
		if err != nil {
			return profileOpened{profile: msg.Profile, err: err}
		}
		id := msg.Account
		if id == "" {
			// Unknown, the header shows "—" until the owned snapshots say it.
			id, _ = c.Account(ctx)
		}
		return profileOpened{profile: msg.Profile, client: c, account: id}
	}
}

// underProfile lists the snapshots under the opened profile, from its
// Region. The form kept for the other profile's snapshots goes.
func (a App) underProfile(msg profileOpened) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		a.status.Show(status.Error, msg.err.Error())
		return a, nil
	}
	a.status.Clear()
	name := msg.profile.Name
	cmd := a.list.UnderProfile(msg.client, name, msg.account, msg.client.Region())
	a.client = msg.client
	a.formOpen, a.form, a.formFor = false, form.Model{}, nil
	// The new list learns this run's copies again.
	a.forwarded = nil
	a.current = onList
	return a, cmd
}

// notHome says why the copy form does not open under another profile
// than the one snapcopy started with: its state file keeps the copies,
// and its form copies into another profile's account.
func (a App) notHome() (tea.Model, tea.Cmd) {
	p := status.KeyName(keys.Profiles)
	a.status.Show(status.Warning, "copies start from profile "+a.homeName+", the one snapcopy started with (its state file keeps them): "+
		p+" back to it, whose form's Destination account copies into "+a.list.Profile()+"'s account; or start snapcopy --profile "+a.list.Profile())
	return a, nil
}

// formOptions are o with the other profiles the copy may go into, from
// the account snapcopy started in.
func (a App) formOptions(o form.Options) form.Options {
	if a.opts.Profiles != nil {
		o.Accounts = a.opts.Profiles
	}
	o.Profile = a.homeName
	return o
}

// keyPolicies are the key policies of the account snapcopy started in,
// which owns the sources of its copies into other accounts (nil without
// a client: no interface holding a nil pointer).
func keyPolicies(c *awsops.Client) progress.KeyPolicies {
	if c == nil {
		return nil
	}
	return c
}
