package recurring

import (
	"fmt"
	"slices"
	"strings"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/nav"
)

// explain says in a line each what the policies do, rule by rule.
func explain(rc model.RecurringCopy, open *nav.OpenRecurring, profile, destProfile string) []string {
	tag := rc.TargetTag.Key + "=" + rc.TargetTag.Value
	lines := []string{"Targets: the volumes of " + rc.SourceRegion + " tagged " + tag + "; " + volumesLine(rc, open)}
	lines = append(lines, "Schedule: "+scheduleWords(rc.Schedule))
	lines = append(lines, "Keeps at the source: "+retainWords(rc.Retain))
	if rc.CrossAccount() {
		lines = append(lines, fmt.Sprintf("Shares each snapshot with account %s (ShareRules); its event policy, created in %s under profile %s, copies the snapshots shared by %s whose description matches %s",
			rc.DestinationAccount, rc.SourceRegion, profileName(strings.TrimSpace(destProfile)), rc.SourceAccount(), rc.DescriptionRegex()))
	}
	for _, c := range rc.Copies {
		lines = append(lines, copyWords(c, open))
	}
	switch {
	case rc.CopyTags:
		lines = append(lines, "Copies tags: the volume's tags to its snapshots, and the snapshots' tags to the copies")
	default:
		lines = append(lines, "Copies no tags")
	}
	if len(rc.Tags) > 0 {
		var ts []string
		for _, t := range rc.Tags {
			ts = append(ts, t.Key+"="+t.Value)
		}
		lines = append(lines, "Adds to each snapshot: "+strings.Join(ts, ", ")+" (and DLM's own aws:dlm tags)")
	}
	if r := open.Requests[0]; r.CompletionDurationMinutes > 0 {
		lines = append(lines, fmt.Sprintf("Completion duration: the copy's %d minutes are not a DLM setting (its copy rules have none): the recurring copies are standard copies", r.CompletionDurationMinutes))
	}
	lines = append(lines, "Runs as "+rc.RoleArn+" under profile "+profileName(profile)+
		" (a missing default role is made by `"+model.DLMCreateDefaultRole+"`)")
	return lines
}

// volumesLine says whether the sources carry the target tag, and how to
// put it on their volumes when they do not.
func volumesLine(rc model.RecurringCopy, open *nav.OpenRecurring) string {
	var vols []string
	carried := true
	for _, s := range open.Sources {
		if s.VolumeID != "" && !slices.Contains(vols, s.VolumeID) {
			vols = append(vols, s.VolumeID)
		}
		carried = carried && slices.Contains(s.Tags, rc.TargetTag)
	}
	if len(vols) == 0 {
		return "tag the volumes to include with it"
	}
	if carried {
		return "the snapshot carries that tag; DLM looks for it on volume " + strings.Join(vols, ", ") +
			" (aws ec2 describe-volumes --region " + rc.SourceRegion + " --volume-ids " + strings.Join(vols, " ") + " shows its tags)"
	}
	return "add it to the volume: aws ec2 create-tags --region " + rc.SourceRegion + " --resources " + strings.Join(vols, " ") +
		" --tags " + model.ShellQuote("Key="+rc.TargetTag.Key+",Value="+rc.TargetTag.Value)
}

func scheduleWords(s model.Recurrence) string {
	switch {
	case s.Cron != "":
		return s.Cron + " (UTC, EventBridge's cron fields)"
	case s.Hours == 24 && s.At != "":
		return "every day at " + s.At + " UTC (a 24-hour interval from that time; DLM starts within the hour after it)"
	case s.At != "":
		return fmt.Sprintf("every %d hours from %s UTC (DLM starts within the hour after each)", s.Hours, s.At)
	case s.Hours == 24:
		return "every day (a 24-hour interval; DLM picks the time)"
	}
	return fmt.Sprintf("every %d hours (DLM picks the first time)", s.Hours)
}

func retainWords(r model.Retention) string {
	if r.Count > 0 {
		return fmt.Sprintf("the last %d snapshots of each volume; older ones are deleted", r.Count)
	}
	return "each snapshot " + r.Age.String() + ", then it is deleted"
}

// copyWords says where one copy goes and how it is encrypted and kept.
func copyWords(c model.RecurringTarget, open *nav.OpenRecurring) string {
	enc := "not encrypted unless the source is or the Region encrypts by default"
	switch {
	case c.KeyArn != "":
		enc = "encrypted with " + c.KeyArn
		if k := open.Requests[0].KmsKeyID; k != "" && k != c.KeyArn && c.Target == open.Requests[0].DestinationRegion {
			enc += " (" + k + ")"
		}
	case c.Encrypted:
		enc = "encrypted with the default EBS key of " + model.OutpostID(c.Target)
	}
	kept := "kept until deleted by hand"
	if !c.Retain.IsZero() {
		kept = "each kept " + c.Retain.String()
	}
	return "Copies to " + c.Target + ", " + enc + ", " + kept
}
