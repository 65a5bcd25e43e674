package cmd

import (
	"errors"
	"flag"
	"io"
	"slices"
	"testing"
)

// Flags and arguments come in any order, as `snapcopy copy snap-1 --wait
// snap-2`; --help is flag.ErrHelp; a bad flag is the flag package's error.
func TestParse(t *testing.T) {
	newSet := func() (*flag.FlagSet, *Common, *bool) {
		fs := flag.NewFlagSet("snapcopy copy", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		var c Common
		c.Define(fs)
		wait := fs.Bool("wait", false, "")
		return fs, &c, wait
	}
	fs, c, wait := newSet()
	args, err := Parse(fs, []string{"snap-1", "--wait", "--region", "us-west-2", "snap-2", "--demo"})
	if err != nil || !slices.Equal(args, []string{"snap-1", "snap-2"}) || !*wait || c.Region != "us-west-2" || !c.Demo {
		t.Errorf("args %v, err %v, wait %v, common %+v", args, err, *wait, c)
	}
	fs, _, _ = newSet()
	if _, err := Parse(fs, []string{"snap-1", "--help"}); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("--help: %v", err)
	}
	fs, _, _ = newSet()
	if _, err := Parse(fs, []string{"--nope"}); err == nil || errors.Is(err, flag.ErrHelp) {
		t.Errorf("a flag that does not exist: %v", err)
	}
}
