// Package profiles is the profile picker (P): the profiles of the AWS
// config and credentials files, as the AWS CLI reads them, each with the
// account it reaches once STS has said (GetCallerIdentity); choosing one
// lists the snapshots under it.
package profiles

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/ui/nav"
)

// Source is what the picker asks (*Clients in the program). Both calls
// read files or the network: the picker makes them in tea.Cmds only.
type Source interface {
	// Profiles reads the profiles of the AWS config and credentials files.
	Profiles() ([]awsops.Profile, error)
	// Account is the account a profile's credentials act in.
	Account(ctx context.Context, profile string) (string, error)
}

// askAtOnce bounds the accounts asked at the same time: each may run a
// credential_process or assume a role.
const askAtOnce = 4

// askFor bounds one account's question: opening the profile (a
// credential_process has 20 s) and GetCallerIdentity.
const askFor = 45 * time.Second

// Chosen says the operator chose a profile to list snapshots under.
type Chosen struct {
	Profile awsops.Profile
	// Account is its account id, "" when not yet known.
	Account string
}

// AccountMsg carries a profile's account id, or why it is not known. The
// app reads it too: the header and the form name accounts.
type AccountMsg struct {
	Profile string
	Account string
	Err     error
}

// profilesMsg carries the profiles read from the files.
type profilesMsg struct {
	gen      int
	profiles []awsops.Profile
	err      error
}

// account is what the picker knows of a profile's account.
type account struct {
	id     string
	err    error
	asking bool
}

// Options configure the picker.
type Options struct {
	// Current is the profile the list is under, marked in the picker.
	Current string
	// Files name where the profiles come from, for the title.
	Files awsops.ProfileFiles
	// Help is the app's help key, for the help bar.
	Help key.Binding
}

// Model is the profile picker.
type Model struct {
	src   Source
	opts  Options
	keys  KeyMap
	help  help.Model
	ctx   context.Context
	gen   int
	all   []awsops.Profile
	shown []int // indices into all passing the filter
	known map[string]account

	cursor    int
	offset    int
	filter    string
	filtering bool
	loading   bool
	err       error

	width, height int
}

// New returns a picker over src; Open reads the profiles.
func New(src Source, opts Options) Model {
	m := Model{src: src, opts: opts, keys: DefaultKeyMap(), help: help.New(), ctx: context.Background(),
		known: map[string]account{}, width: 80, height: 24}
	m.keys.Help = opts.Help
	return m
}

// Open (re)reads the profiles, with the cursor on current. The accounts
// already known stay: a profile's account does not change.
func (m Model) Open(current string) (Model, tea.Cmd) {
	m.opts.Current = current
	m.gen++
	m.loading, m.err = true, nil
	m.filter, m.filtering = "", false
	src, gen := m.src, m.gen
	return m, func() tea.Msg {
		p, err := src.Profiles()
		return profilesMsg{gen: gen, profiles: p, err: err}
	}
}

// SetSize sets the area the picker draws in.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.help.Width = width
}

// Capturing reports whether keys are text for the filter.
func (m Model) Capturing() bool { return m.filtering }

// KeyMap is the picker's keys as the help bar shows them.
func (m Model) KeyMap() help.KeyMap {
	k := m.keys
	k.filtering = m.filtering
	return k
}

// Known is a profile's account id, when STS has said it.
func (m Model) Known(profile string) (string, bool) {
	a, ok := m.known[profile]
	return a.id, ok && a.id != ""
}

// Update handles keys and the answers of the files and of STS.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case profilesMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		m.loading, m.all, m.err = false, msg.profiles, msg.err
		m.refilter()
		m.cursor = max(0, m.indexOf(m.opts.Current))
		return m, m.askMore()
	case AccountMsg:
		m.known[msg.Profile] = account{id: msg.Account, err: msg.Err}
		return m, m.askMore()
	case tea.KeyMsg:
		// Keys that arrive in one read come one at a time: the app splits them.
		if m.filtering {
			return m.onFilterKey(msg), nil
		}
		return m.onKey(msg)
	}
	return m, nil
}

func (m Model) onKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Back):
		return m, func() tea.Msg { return nav.Back{} }
	case key.Matches(msg, k.Choose):
		if p, ok := m.selected(); ok {
			id, _ := m.Known(p.Name)
			return m, func() tea.Msg { return Chosen{Profile: p, Account: id} }
		}
	case key.Matches(msg, k.Filter):
		m.filtering = true
	case key.Matches(msg, k.Up):
		m.move(-1)
	case key.Matches(msg, k.Down):
		m.move(1)
	case key.Matches(msg, k.Home):
		m.cursor = 0
	case key.Matches(msg, k.End):
		m.cursor = max(0, len(m.shown)-1)
	case key.Matches(msg, k.Retry):
		// Accounts that could not be known are asked again (after an
		// `aws sso login`, say).
		for name, a := range m.known {
			if a.err != nil {
				delete(m.known, name)
			}
		}
		return m, m.askMore()
	}
	return m, nil
}

func (m Model) onFilterKey(msg tea.KeyMsg) Model {
	k := m.keys
	switch {
	case key.Matches(msg, k.Accept):
		m.filtering = false
	case key.Matches(msg, k.Clear):
		m.filtering, m.filter = false, ""
		m.refilter()
	case key.Matches(msg, k.DeleteChar):
		if r := []rune(m.filter); len(r) > 0 {
			m.filter = string(r[:len(r)-1])
			m.refilter()
		}
	case key.Matches(msg, k.FilterUp):
		m.move(-1)
	case key.Matches(msg, k.FilterDown):
		m.move(1)
	case msg.Type == tea.KeyRunes || msg.Type == tea.KeySpace:
		m.filter += string(msg.Runes)
		m.refilter()
	}
	return m
}

func (m *Model) move(by int) {
	m.cursor = min(max(0, m.cursor+by), max(0, len(m.shown)-1))
}

// selected is the profile under the cursor.
func (m Model) selected() (awsops.Profile, bool) {
	if m.cursor < 0 || m.cursor >= len(m.shown) {
		return awsops.Profile{}, false
	}
	return m.all[m.shown[m.cursor]], true
}

// indexOf is the row of a profile among those shown, -1 if not shown.
func (m Model) indexOf(name string) int {
	for i, j := range m.shown {
		if m.all[j].Name == name {
			return i
		}
	}
	return -1
}

// refilter keeps the profiles whose name, account or Region hold every
// word of the filter, and the cursor on its profile when still shown.
func (m *Model) refilter() {
	cur, hadCur := m.selected()
	words := strings.Fields(strings.ToLower(m.filter))
	m.shown = m.shown[:0]
	for i, p := range m.all {
		text := strings.ToLower(p.Name + " " + m.known[p.Name].id + " " + p.Region)
		ok := true
		for _, w := range words {
			if !strings.Contains(text, w) {
				ok = false
				break
			}
		}
		if ok {
			m.shown = append(m.shown, i)
		}
	}
	if i := m.indexOf(cur.Name); hadCur && i >= 0 {
		m.cursor = i
	}
	m.move(0)
}

// askMore asks STS for the accounts not yet known, up to askAtOnce at a
// time, in the order the profiles are listed.
func (m *Model) askMore() tea.Cmd {
	asking := 0
	for _, a := range m.known {
		if a.asking {
			asking++
		}
	}
	var cmds []tea.Cmd
	for _, p := range m.all {
		if asking >= askAtOnce {
			break
		}
		if _, seen := m.known[p.Name]; seen {
			continue
		}
		m.known[p.Name] = account{asking: true}
		asking++
		src, ctx, name := m.src, m.ctx, p.Name
		cmds = append(cmds, func() tea.Msg {
			ctx, cancel := context.WithTimeout(ctx, askFor)
			defer cancel()
			id, err := src.Account(ctx, name)
			return AccountMsg{Profile: name, Account: id, Err: err}
		})
	}
	return tea.Batch(cmds...)
}
