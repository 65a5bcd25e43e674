package progress

import (
	"strings"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/copytext"
	"github.com/snapcopy/snapcopy/ui/textsafe"
)

// A copy into another account is one row: its destination names the
// account ("us-east-1 @111122223333"), and its state is the step it is on
// until its CopySnapshot runs in that account, then the copy's phase; its
// note says what the step waits for.

// destLabel is where a copy goes, with the account of a copy into
// another account.
func destLabel(c *model.Copy) string {
	d := copytext.Dest(c)
	if !c.Cross.Active() {
		return d
	}
	account := textsafe.Clean(c.Cross.DestinationAccount)
	if account == "" {
		account = textsafe.Clean(c.Cross.DestinationProfile)
	}
	return d + " @" + account
}

// stepLabel is the step of a copy into another account that is not yet,
// or no longer, its copy running in that account ("" for any other copy).
func stepLabel(c *model.Copy) string {
	if !c.Cross.Active() || c.Phase.Done() {
		return ""
	}
	switch c.Cross.Step {
	case model.CrossCopy, model.CrossDone, "":
		return ""
	}
	return "▸ " + c.Cross.Step.Title()
}

// crossFields are the details of a copy into another account: the
// account and profile, the step, and what the steps have done.
func crossFields(c *model.Copy) [][2]string {
	x := c.Cross
	if !x.Active() {
		return nil
	}
	account := textsafe.Clean(x.DestinationAccount)
	if account == "" {
		account = "not yet known"
	}
	out := [][2]string{{"account", account + " (profile " + textsafe.Clean(x.DestinationProfile) + ")"}}
	steps := make([]string, 0, len(model.CrossSteps))
	for _, s := range model.CrossSteps {
		if s == model.CrossReencrypt && x.ReencryptKey == "" {
			continue
		}
		t := s.Title()
		if s == x.Step {
			t = "▸ " + t
		}
		steps = append(steps, t)
	}
	out = append(out, [2]string{"steps", strings.Join(steps, " · ")})
	if x.ReencryptKey != "" {
		v := "under " + textsafe.Clean(x.ReencryptKey)
		if x.IntermediateSnapshotID != "" {
			v = textsafe.Clean(x.IntermediateSnapshotID) + " " + v
		}
		if x.IntermediateDeleted {
			v += " (deleted)"
		}
		out = append(out, [2]string{"re-encrypted", v})
	}
	share := "not yet"
	switch {
	case !x.ShareAdded && stepIndex(x.Step) > stepIndex(model.CrossShare):
		share = "there before snapcopy: left as it is"
	case x.Unshared:
		share = "removed"
	case x.ShareAdded && x.KeepShare:
		share = "added by snapcopy, kept"
	case x.ShareAdded:
		share = "added by snapcopy, removed once the copy ends"
	}
	return append(out, [2]string{"share", share})
}

// stepIndex is where a step comes in model.CrossSteps.
func stepIndex(s model.CrossStep) int {
	for i, k := range model.CrossSteps {
		if k == s {
			return i
		}
	}
	return -1
}
