package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// helpWidth is the width flags' help is wrapped to: an 80-column terminal.
const helpWidth = 80

// help prints a command's --help on standard output: what it does, its
// synopsis, its commands, examples, then its own flags and the common
// ones apart.
func help(c *cobra.Command, _ []string) {
	var b strings.Builder
	if d := strings.TrimSpace(c.Long); d != "" {
		b.WriteString(d + "\n\n")
	} else if c.Short != "" {
		b.WriteString(c.Short + "\n\n")
	}
	b.WriteString("Usage:\n  " + c.UseLine() + "\n")
	if c.HasAvailableSubCommands() {
		b.WriteString("\nCommands:\n")
		width := 0
		for _, s := range c.Commands() {
			width = max(width, len(s.CommandPath()))
		}
		for _, s := range c.Commands() {
			if s.IsAvailableCommand() {
				fmt.Fprintf(&b, "  %-*s  %s\n", width, s.CommandPath(), s.Short)
			}
		}
	}
	if c.Example != "" {
		b.WriteString("\nExamples:\n" + strings.TrimRight(c.Example, "\n") + "\n")
	}
	own, common := splitFlags(c)
	if own.HasAvailableFlags() {
		b.WriteString("\nFlags:\n" + own.FlagUsagesWrapped(helpWidth))
	}
	if common.HasAvailableFlags() {
		b.WriteString("\nCommon flags (AWS and the state file):\n" + common.FlagUsagesWrapped(helpWidth))
	}
	if c.HasAvailableSubCommands() {
		fmt.Fprintf(&b, "\nRun '%s COMMAND --help' for a command's own flags; man %s for the keys\nand the exit codes.\n", c.CommandPath(), c.CommandPath())
	}
	fmt.Fprint(c.OutOrStdout(), b.String())
}

// splitFlags are c's own flags and the common ones.
func splitFlags(c *cobra.Command) (own, common *pflag.FlagSet) {
	own = pflag.NewFlagSet(c.Name(), pflag.ContinueOnError)
	common = pflag.NewFlagSet(c.Name(), pflag.ContinueOnError)
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if _, ok := f.Annotations[commonAnnotation]; ok {
			common.AddFlag(f)
		} else {
			own.AddFlag(f)
		}
	})
	return own, common
}
