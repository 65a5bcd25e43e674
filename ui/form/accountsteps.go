package form

import (
	"fmt"
	"strings"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/status"
	"github.com/snapcopy/snapcopy/validate"
)

// crossFor is the copy of source into the chosen account as far as it is
// known, and what the source account has said of it.
func (m Model) crossFor(s model.Snapshot) (model.CrossAccount, model.CrossFacts) {
	x := m.cross
	c := model.CrossAccount{
		DestinationProfile: x.chosen(),
		DestinationAccount: m.destinationAccount(),
		SourceAccount:      x.ids[x.profile].id,
		KeepShare:          x.keep,
	}
	f := model.CrossFacts{SourceEncrypted: s.Encrypted}
	if ch, ok := m.check(s); ok && ch.err == nil {
		f = ch.cc.Facts
		c.SourceKey, c.ReencryptKey = ch.cc.SourceKey, ch.cc.ReencryptKey
	} else if b, ok := m.baseCheck(s); ok && b.err == nil {
		// The re-encrypting key is still to be told of.
		f.SourceKeyAWSManaged, c.SourceKey = b.cc.Facts.SourceKeyAWSManaged, b.cc.SourceKey
	}
	f.SourceKeyName = m.sourceKeyName(s)
	f.ReencryptKeyName = strings.TrimSpace(x.reencrypt.Value())
	f.DestinationKey = strings.TrimSpace(m.kms.Value())
	return c, f
}

// sourceKeyName is the source's key as the operator knows it: its alias
// in the source account, else its id.
func (m Model) sourceKeyName(s model.Snapshot) string {
	aliases := m.sourceAliases()
	id := s.KmsKeyID
	if i := strings.LastIndex(id, "/"); i >= 0 && strings.HasPrefix(id, "arn:") {
		id = id[i+1:]
	}
	for _, a := range aliases {
		if a.TargetKeyID != "" && a.TargetKeyID == id {
			return a.Name
		}
	}
	return s.KmsKeyID
}

// crossProblem is what stops a copy into the chosen account from being
// sent, in one sentence ("" when nothing does, or for this account);
// waiting when it is only an answer still to come.
func (m Model) crossProblem() (text string, waiting bool) {
	x := m.cross
	profile := x.chosen()
	if profile == "" {
		return "", false
	}
	id := x.ids[profile]
	switch {
	case x.opening != "":
		return "opening profile " + profile + "…", true
	case x.openErr != nil:
		return clean(x.openErr.Error()), false
	case id.err != nil:
		return "the account of profile " + profile + " is not known: " + clean(model.Explain(id.err, model.Brief())), false
	case id.id == "":
		return "the account of profile " + profile + " is not known yet", true
	case id.id == x.ids[x.profile].id:
		return "profile " + profile + " is this same account (" + id.id + "): choose this account", false
	case m.result.Destination.Kind != model.ToRegion:
		return "a copy into another account goes to a Region (not an Outpost or a Local Zone)", false
	}
	for _, s := range m.sources {
		b, ok := m.baseCheck(s)
		switch {
		case !ok:
			return "asking the source account about " + s.ID + " (its key, its shares, the key's policy)…", true
		case b.err != nil:
			return clean(model.Explain(b.err, model.Brief())), false
		}
		if !b.cc.Facts.SourceKeyAWSManaged {
			continue
		}
		typed := strings.TrimSpace(x.reencrypt.Value())
		if typed == "" {
			return s.ID + " is encrypted with the AWS managed key (alias/aws/ebs), which cannot be shared with another account: type a customer managed key of this account in " + labels[fReencrypt], false
		}
		if m.reencryptAsked() == "" {
			return "re-encrypting key " + clean(typed) + ": not a key id, key ARN or alias of " + m.region + " in this account", false
		}
		switch ch, ok := m.check(s); {
		case !ok:
			return "asking the source account about re-encrypting key " + clean(typed) + "…", true
		case ch.err != nil:
			return clean(model.Explain(ch.err, model.Brief())), false
		}
	}
	return "", false
}

// accountLines draws the destination account (this account or a profile,
// with its account id) and the re-encrypting key, with what they say.
func (m Model) accountLines(f field, focused bool, vw int) []string {
	x := m.cross
	if f == fReencrypt {
		line := inputView(x.reencrypt, focused, min(vw, 60), "a customer managed key of this account (alias or ARN)")
		return []string{m.row(f, true, line), m.row(f, false, dimStyle.Render("a source under the AWS managed key cannot be shared: it is copied under this key first"))}
	}
	parts := []string{choice("this account", x.choice == 0)}
	for i, p := range x.profiles {
		name := clean(p.Name)
		switch id := x.ids[p.Name]; {
		case id.id != "":
			name += " (" + clean(id.id) + ")"
		case id.err != nil:
			name += " (account unknown)"
		}
		parts = append(parts, choice(name, x.choice == i+1))
	}
	lines := []string{m.row(f, true, strings.Join(parts, "   "))}
	note := ""
	switch p, waiting := m.crossProblem(); {
	case waiting:
		note = p
	case p != "":
		return append(lines, problemLines(validate.Problem{Field: validate.FieldDestination, Severity: validate.Error, Message: p}, indent, indent+vw)...)
	case x.chosen() != "":
		keep := "[ ] keep the share once copied"
		if x.keep {
			keep = chosenStyle.Render("[x] keep the share once copied")
		}
		if m.anyAWSManaged() {
			keep = strings.Replace(keep, "the share", "the share and the re-encrypted copy", 1)
		}
		note = keep + dimStyle.Render(" (space) · copied with profile "+clean(x.chosen())+"'s credentials, under a key of its account: the preview says each step")
		return append(lines, m.row(f, false, note))
	case x.listErr != nil:
		note = "could not read the AWS profiles: " + clean(x.listErr.Error())
	}
	if note != "" {
		lines = append(lines, m.row(f, false, dimStyle.Render(note)))
	}
	return lines
}

// choice is one value of a choice field.
func choice(text string, chosen bool) string {
	if chosen {
		return chosenStyle.Render(markChosen + " " + text)
	}
	return markOther + " " + text
}

// crossPreview says, step by step, what a copy into the chosen account
// will do: for the first source, and how many more go the same way.
func (m Model) crossPreview(w int) []string {
	if p, _ := m.crossProblem(); m.cross.chosen() == "" || len(m.sources) == 0 || p != "" {
		return nil
	}
	s := m.sources[0]
	c, f := m.crossFor(s)
	steps, err := model.PlanCrossAccount(s.ID, c, f)
	if err != nil {
		return nil
	}
	head := "Steps     "
	pad := strings.Repeat(" ", len(head))
	var lines []string
	if len(m.sources) > 1 {
		lines = append(lines, previewStyle.Render(head)+fmt.Sprintf("for %s (each of the %d copies takes its own steps):", s.ID, len(m.sources)))
		head = pad
	}
	for i, st := range steps {
		mark := fmt.Sprintf("%d. ", i+1)
		text := clean(st.Text)
		if st.Skipped {
			text = dimStyle.Render("— " + text)
		}
		for j, l := range status.Wrap(mark+text, w-len(pad), 3) {
			switch {
			case i == 0 && j == 0:
				lines = append(lines, previewStyle.Render(head)+l)
			case j == 0:
				lines = append(lines, pad+l)
			default:
				lines = append(lines, pad+"   "+l)
			}
		}
	}
	return lines
}

// setCross makes each copy a copy into the chosen account, at its first
// step.
func (m Model) setCross(copies []*model.Copy) {
	if m.cross.chosen() == "" {
		return
	}
	for _, c := range copies {
		x, _ := m.crossFor(m.source(c.Request.SourceSnapshotID))
		c.StartCrossAccount(x)
	}
}
