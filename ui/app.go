// Package ui is snapcopy's Bubble Tea program: one app that routes between
// the list, the copy form and the progress pane, and shows the full help.
package ui

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/copytext"
	"github.com/snapcopy/snapcopy/ui/form"
	"github.com/snapcopy/snapcopy/ui/list"
	"github.com/snapcopy/snapcopy/ui/nav"
	"github.com/snapcopy/snapcopy/ui/profiles"
	"github.com/snapcopy/snapcopy/ui/progress"
	"github.com/snapcopy/snapcopy/ui/recurring"
	"github.com/snapcopy/snapcopy/ui/status"
)

// Options configure the app.
type Options struct {
	Region  string // source Region
	Profile string // "" for the default chain, "demo" in demo mode
	Watch   bool   // open on the progress pane
	NoBell  bool
	Now     func() time.Time
	// Notice is shown on the status line until the first key, e.g. that a
	// corrupt state file was kept aside.
	Notice string
	// Context ends with the process: once it is done the tracker sends no
	// more copies (nil: never done).
	Context context.Context
	// LastRequestsPath is where the form remembers the last request per
	// source Region (model.LastRequestsPath); "" remembers nothing.
	LastRequestsPath string
	// Profiles open the AWS profiles the picker (P) lists; nil: no picker.
	Profiles *profiles.Clients
}

type screen int

const (
	onList screen = iota
	onForm
	onProgress
	onRecurring // the recurring-copy panel, over the kept form (recurring.go)
	onProfiles  // the profile picker (profiles.go)
)

// screenModel is what every screen offers the app.
type screenModel interface {
	View() string
	KeyMap() help.KeyMap
	Capturing() bool
}

// App is the root model.
type App struct {
	client *awsops.Client // the copy form's, opened on demand, and the pane's discovery: both take it as is
	// home is the client snapcopy started with, and homeName its profile
	// as the list names it: the account whose copies the tracker keeps,
	// whatever profile the list is under (profiles.go).
	home     *awsops.Client
	homeName string
	opts     Options

	current  screen
	list     list.Model
	form     form.Model
	formOpen bool
	formFor  []model.Snapshot // the sources the kept form was opened for
	// sentFor are the sources of the form whose copies the progress pane
	// is recording (nil: copies that came from no form): only that form
	// is done with when they are recorded, not one opened since.
	sentFor  []model.Snapshot
	progress progress.Model
	// recurring is the panel that makes the form's copy a DLM policy.
	recurring     recurring.Model
	recurringOpen bool
	// picker is the profile picker (profiles.go).
	picker profiles.Model

	help     help.Model
	showHelp bool
	asking   bool         // "copies not yet accepted by AWS: quit anyway?"
	status   status.Model // the app's own notice, over the screen's line

	// forwarded is the pane's copies as last handed to the list.
	forwarded []model.Copy

	width, height int
}

// New builds the app over what each screen needs: the list reads
// snapshots through lister, the progress pane follows copies through the
// tracker of the state file, and the copy form and the pane's discovery of
// copies in flight use client, which they take as is. main.go passes its
// one AWS client as both lister and client. The app itself calls none of
// them: the screens do, from tea.Cmds.
func New(lister list.Lister, tracker progress.Tracker, client *awsops.Client, opts Options) App {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	lo := list.Options{Region: opts.Region, Profile: opts.Profile, Now: opts.Now, Help: keys.Help, Quit: keys.Quit}
	if opts.Profiles != nil {
		lo.Profiles = keys.Profiles
	}
	a := App{
		client:   client,
		home:     client,
		opts:     opts,
		picker:   newPicker(opts),
		list:     list.New(lister, lo),
		progress: progress.New(tracker, progress.Options{Now: opts.Now, NoBell: opts.NoBell, Context: opts.Context, Discover: progress.PendingIn(client), Help: keys.Help, KeyPolicies: keyPolicies(client)}),
		help:     help.New(),
		status:   status.New(status.Options{}),
	}
	a.homeName = a.list.Profile()
	if opts.Notice != "" {
		a.status.Show(status.Warning, opts.Notice) // a warning: it goes at the first key
	}
	if opts.Watch {
		a.current = onProgress
	}
	// The copies of the state file: the list counts as this run's those
	// still in flight and any started from now on.
	a, _ = a.forwardCopies()
	return a
}

// Ended is closed once the progress pane's follow loop has ended (after
// Options.Context did): nothing is stepped or saved after it.
func (a App) Ended() <-chan struct{} { return a.progress.Ended() }

// Init starts loading the list and tracking the copies of the state file.
func (a App) Init() tea.Cmd {
	return tea.Batch(a.list.Init(), a.progress.Init())
}

func (a App) active() screenModel {
	switch a.current {
	case onForm:
		return a.form
	case onProgress:
		return a.progress
	case onRecurring:
		return a.recurring
	case onProfiles:
		return a.picker
	}
	return a.list
}

// Update routes messages: keys to the screen in front, everything else
// (pages loading, poll results, timers) to every screen, since work goes on
// behind the screen that is shown. The copies the progress pane sees are
// then handed to the list when they changed.
func (a App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := a.update(msg)
	a, fwd := m.(App).forwardCopies()
	if fwd != nil {
		return a, tea.Batch(cmd, fwd)
	}
	return a, cmd
}

// forwardCopies hands the list the pane's copies (list.CopiesMsg) when
// they are not the ones it was last handed: the pane replaces its slice
// on every change, so comparing the slices is enough.
func (a App) forwardCopies() (App, tea.Cmd) {
	copies := a.progress.Copies()
	if sameSlice(copies, a.forwarded) && a.forwarded != nil {
		return a, nil
	}
	a.forwarded = copies
	if a.forwarded == nil {
		a.forwarded = []model.Copy{}
	}
	var cmd tea.Cmd
	a.list, cmd = a.list.Update(list.CopiesMsg{Copies: copies, Shown: a.current == onList && !a.showHelp})
	return a, cmd
}

// sameSlice reports whether a and b are the same slice (same array, same
// length), without looking at the copies.
func sameSlice(a, b []model.Copy) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

func (a App) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.width, a.height = msg.Width, msg.Height
		a.help.Width = msg.Width
		a.list.SetSize(msg.Width, msg.Height)
		a.progress.SetSize(msg.Width, msg.Height)
		if a.formOpen {
			a.form.SetSize(msg.Width, msg.Height)
		}
		a.recurring.SetSize(msg.Width, msg.Height)
		a.picker.SetSize(msg.Width, msg.Height)
		return a, nil

	case tea.KeyMsg:
		return a.key(msg)

	case tea.MouseMsg:
		return a.toActive(msg)

	case nav.OpenForm:
		if a.list.Profile() != a.homeName {
			return a.notHome()
		}
		if a.formOpen && sameSources(a.formFor, msg.Sources) {
			// Back to the form the operator left with esc: what was typed stays.
			a.current = onForm
			return a, nil
		}
		a.formFor = msg.Sources
		a.form = form.New(a.client, msg.Sources, a.formOptions(form.Options{
			Now: a.opts.Now, Outposts: a.list.Outposts(), LastRequestsPath: a.opts.LastRequestsPath,
			Tracked: a.progress.Copies(),
		}))
		a.form.SetSize(a.width, a.height)
		a.formOpen = true
		a.current = onForm
		return a, a.form.Init()
	case nav.OpenRecurring:
		return a.openRecurring(msg)
	case nav.EditCopy:
		return a, a.findSource(msg)
	case editSourceMsg:
		return a.openEdit(msg)
	case nav.OpenProgress:
		a.current = onProgress
		return a, nil
	case nav.Back:
		a.current = onList
		return a, nil
	case nav.Quit:
		return a.quit()
	case nav.CopiesAdded:
		// Their marks go: enter on the same rows must not send them again.
		var cmd tea.Cmd
		if a.sentFor != nil {
			a.list, cmd = a.list.Update(list.SentMsg{Sources: a.sentFor})
		}
		// The form is done with once its copies are recorded; the next one
		// opens fresh. A form opened while they were being recorded stays.
		if a.formOpen && a.sentFor != nil && sameSources(a.formFor, a.sentFor) {
			a.formOpen = false
			a.form = form.Model{}
			a.formFor = nil
		}
		a.sentFor = nil
		return a, cmd
	case nav.ShowHelp:
		a.showHelp = true
		return a, nil
	case profiles.Chosen:
		return a.chooseProfile(msg)
	case profileOpened:
		return a.underProfile(msg)
	case profiles.AccountMsg:
		var cmd tea.Cmd
		a.picker, cmd = a.picker.Update(msg)
		return a, cmd
	case nav.StartCopies:
		// The form stays until the copies are recorded: if they are refused
		// (the state file cannot be written) what was typed is not lost.
		a.current = onProgress
		a.sentFor = nil
		if a.formOpen {
			a.sentFor = a.formFor
		}
		var cmd tea.Cmd
		a.progress, cmd = a.progress.Start(msg.Copies)
		return a, cmd
	}
	return a.toAll(msg)
}

func (a App) key(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
		// Keys typed fast, repeated or held back by a slow link arrive in
		// one read: each is a key of its own ("jj" moves twice, "jq" quits).
		var m tea.Model = a
		var cmds []tea.Cmd
		for _, r := range msg.Runes {
			var cmd tea.Cmd
			m, cmd = m.(App).key(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt})
			cmds = append(cmds, cmd)
		}
		return m, tea.Batch(cmds...)
	}
	a.status.KeyPressed()
	if a.asking {
		switch {
		case key.Matches(msg, keys.Yes), key.Matches(msg, keys.Force):
			return a, tea.Quit
		case key.Matches(msg, keys.No):
			a.asking = false
		}
		return a, nil
	}
	if a.showHelp {
		// Any key closes the help; ctrl+c still quits.
		a.showHelp = false
		if key.Matches(msg, keys.Force) {
			return a.quit()
		}
		return a, nil
	}
	if key.Matches(msg, keys.Force) {
		return a.quit()
	}
	if !a.active().Capturing() {
		switch {
		case key.Matches(msg, keys.Help):
			a.showHelp = true
			return a, nil
		case key.Matches(msg, keys.Quit):
			return a.quit()
		case a.current == onList && a.opts.Profiles != nil && key.Matches(msg, keys.Profiles):
			return a.openPicker()
		}
	}
	return a.toActive(msg)
}

// quit leaves at once unless a copy is not yet accepted by AWS (queued or
// sending): then it asks, since the operator may want to see AWS accept it
// (it is tracked either way). A copy AWS accepted is safe to leave.
func (a App) quit() (tea.Model, tea.Cmd) {
	if a.starting() > 0 && !a.asking {
		a.asking = true
		return a, nil
	}
	return a, tea.Quit
}

// starting counts copies AWS has not yet accepted, as the pane last saw
// them: asking the tracker could wait on a Step saving the state file.
func (a App) starting() int { return a.progress.Tally().Unconfirmed() }

func (a App) toActive(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch a.current {
	case onForm:
		a.form, cmd = a.form.Update(msg)
	case onProgress:
		a.progress, cmd = a.progress.Update(msg)
	case onRecurring:
		a.recurring, cmd = a.recurring.Update(msg)
	case onProfiles:
		a.picker, cmd = a.picker.Update(msg)
	default:
		a.list, cmd = a.list.Update(msg)
	}
	return a, cmd
}

func (a App) toAll(msg tea.Msg) (tea.Model, tea.Cmd) {
	a.status = a.status.Update(msg)
	var cmds [5]tea.Cmd
	a.list, cmds[0] = a.list.Update(msg)
	a.progress, cmds[1] = a.progress.Update(msg)
	if a.formOpen {
		a.form, cmds[2] = a.form.Update(msg)
	}
	if a.recurringOpen {
		a.recurring, cmds[3] = a.recurring.Update(msg)
	}
	a.picker, cmds[4] = a.picker.Update(msg)
	return a, tea.Batch(cmds[:]...)
}

// View draws the screen in front, the full help over it, or the question.
func (a App) View() string {
	if a.showHelp {
		return a.helpView()
	}
	v := a.active().View()
	if !a.status.Empty() {
		v = replaceLastLine(v, a.status.View(a.width), a.height)
	}
	if a.asking {
		stay := "they stay"
		if a.starting() == 1 {
			stay = "it stays"
		}
		what := copytext.Plural(a.starting(), "copy", "copies") + " not yet accepted by AWS (queued or sending; " + stay + " in the state file for the next snapcopy)"
		q := status.Render(status.LevelMessage{Level: status.Warning, Text: what + ": quit anyway? " +
			status.KeyName(keys.Yes) + "/" + status.KeyName(keys.No)}, a.width)
		v = replaceLastLine(v, q, a.height)
	}
	return v
}

// helpView lists every key of the screen in front, then the app's own.
func (a App) helpView() string {
	h := a.help
	h.ShowAll = true
	var b strings.Builder
	b.WriteString(helpTitle.Render("snapcopy keys"))
	b.WriteString("\n\n")
	b.WriteString(h.FullHelpView(a.active().KeyMap().FullHelp()))
	b.WriteString("\n\n")
	b.WriteString(h.FullHelpView(keys.FullHelp()))
	b.WriteString("\n\n")
	b.WriteString(hintStyle.Render("press any key to close"))
	return clip(helpBox.Render(b.String()), a.width, a.height)
}

// clip cuts a view to the terminal so nothing wraps or scrolls.
func clip(s string, w, h int) string {
	if w <= 0 || h <= 0 {
		return s
	}
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, w, "…")
	}
	return strings.Join(lines, "\n")
}

// replaceLastLine puts q on the last line of the screen.
func replaceLastLine(v, q string, h int) string {
	lines := strings.Split(v, "\n")
	for h > 0 && len(lines) < h {
		lines = append(lines, "")
	}
	lines[len(lines)-1] = q
	return strings.Join(lines, "\n")
}

// sameSources reports whether two source lists name the same snapshots.
func sameSources(a, b []model.Snapshot) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ID != b[i].ID || a[i].Region != b[i].Region {
			return false
		}
	}
	return true
}
