package cli

import (
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/ui/cmd"
	"github.com/snapcopy/snapcopy/ui/cmd/completion"
)

// Shells are the shells snapcopy writes a completion script for.
var Shells = []string{"bash", "zsh", "fish"}

// completeValues completes the values of c's flags that say what they take
// (package completion); the others complete to files, as the shell would.
func completeValues(c *cobra.Command) {
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if !completion.Completes(f) {
			return
		}
		err := c.RegisterFlagCompletionFunc(f.Name, func(c *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
			values, _ := completion.Values(f, prefix, completionContext(c))
			return values, cobra.ShellCompDirectiveNoFileComp
		})
		if err != nil {
			panic(err) // registered twice: a mistake of this package's own
		}
	})
}

// completionContext is what the command line says so far of the profile
// and the Region, else what the environment says, as the SDK reads it.
func completionContext(c *cobra.Command) completion.Context {
	x := completion.Context{Files: awsops.DefaultProfileFiles()}
	x.Profile, _ = c.Flags().GetString("profile")
	if x.Profile == "" {
		x.Profile = os.Getenv("AWS_PROFILE")
	}
	x.Region, _ = c.Flags().GetString("region")
	if x.Region == "" {
		x.Region = os.Getenv("AWS_REGION")
	}
	return x
}

// completionCommand is `snapcopy completion bash|zsh|fish`.
func completionCommand(root *cobra.Command, env cmd.Env, code *int) *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish",
		Short: "print the shell completion script for bash, zsh or fish",
		Long: `snapcopy completion prints the script that completes snapcopy's commands and
flags in bash, zsh or fish: --profile to the profiles of the AWS config and
credentials files, --region and --to to the Regions of the partition, --output
and --source-tags to their words. The release archives hold the three scripts
(completions/); to load one for the current shell only:

  source <(snapcopy completion bash)`,
		Example: `  snapcopy completion bash | sudo tee /usr/local/share/bash-completion/completions/snapcopy >/dev/null
  snapcopy completion zsh | sudo tee /usr/local/share/zsh/site-functions/_snapcopy >/dev/null
  snapcopy completion fish > ~/.config/fish/completions/snapcopy.fish`,
		ValidArgs:             Shells,
		Args:                  oneShell,
		DisableFlagsInUseLine: true,
		RunE: func(c *cobra.Command, args []string) error {
			if err := WriteCompletion(root, args[0], c.OutOrStdout()); err != nil {
				fmt.Fprintln(env.Stderr, "snapcopy completion:", err)
				*code = cmd.ExitFailed
			}
			return nil
		},
	}
}

// oneShell takes one of Shells.
func oneShell(_ *cobra.Command, args []string) error {
	if len(args) != 1 || !slices.Contains(Shells, args[0]) {
		return fmt.Errorf("name one shell: bash, zsh or fish")
	}
	return nil
}

// WriteCompletion writes root's completion script for shell to w, with
// the descriptions of the values the shell can show.
func WriteCompletion(root *cobra.Command, shell string, w io.Writer) error {
	switch shell {
	case "bash":
		return root.GenBashCompletionV2(w, true)
	case "zsh":
		return root.GenZshCompletion(w)
	case "fish":
		return root.GenFishCompletion(w, true)
	}
	return fmt.Errorf("no completion for shell %q: bash, zsh or fish", shell)
}
