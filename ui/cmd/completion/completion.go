// Package completion is what the shell completes a flag's value to: the
// AWS profiles of the config and credentials files, the Regions of a
// partition from a list built in (no network while completing), or a
// flag's fixed words. A command says it beside its flag's definition
// (Profiles, Regions, Words); the command line asks Values.
package completion

import (
	"strings"

	"github.com/spf13/pflag"

	"github.com/snapcopy/snapcopy/awsops"
)

// annotation is the flag annotation that holds what a value completes to:
// a kind, then the words of kindWords.
const annotation = "snapcopy_completion"

const (
	kindProfiles = "profiles"
	kindRegions  = "regions"
	kindWords    = "words"
)

// Profiles says flag name of fs takes an AWS profile.
func Profiles(fs *pflag.FlagSet, name string) { annotate(fs, name, kindProfiles) }

// Regions says flag name of fs takes a Region.
func Regions(fs *pflag.FlagSet, name string) { annotate(fs, name, kindRegions) }

// Words says flag name of fs takes one of words.
func Words(fs *pflag.FlagSet, name string, words ...string) {
	annotate(fs, name, append([]string{kindWords}, words...)...)
}

func annotate(fs *pflag.FlagSet, name string, values ...string) {
	// Only a flag not defined fails, a mistake of the caller's own code.
	if err := fs.SetAnnotation(name, annotation, values); err != nil {
		panic(err)
	}
}

// Completes reports whether f says what its value completes to.
func Completes(f *pflag.Flag) bool { return len(f.Annotations[annotation]) > 0 }

// Context is what completing a value may look at besides the flag.
type Context struct {
	// Files are the AWS profile files.
	Files awsops.ProfileFiles
	// Profile and Region are those given so far (--profile, else
	// AWS_PROFILE; --region, else AWS_REGION): Regions complete within the
	// partition of Region, else of the profile's Region, else aws.
	Profile, Region string
}

// Values are the completions of f's value that start with prefix, each
// "value\tdescription" as the shells show it; ok is false when f says
// nothing of its values (the shell then offers files).
func Values(f *pflag.Flag, prefix string, c Context) (values []string, ok bool) {
	a := f.Annotations[annotation]
	if len(a) == 0 {
		return nil, false
	}
	switch a[0] {
	case kindProfiles:
		return profiles(c.Files, prefix), true
	case kindRegions:
		return regions(c.near(), prefix), true
	default:
		return startingWith(a[1:], prefix), true
	}
}

// near is the Region whose partition Regions complete in.
func (c Context) near() string {
	if c.Region != "" {
		return c.Region
	}
	profile := c.Profile
	if profile == "" {
		profile = "default"
	}
	ps, _ := awsops.ListProfiles(c.Files)
	for _, p := range ps {
		if p.Name == profile {
			return p.Region
		}
	}
	return ""
}

// profiles are the profiles starting with prefix, each described by its
// Region (or the file that defines it); none when the files cannot be read.
func profiles(files awsops.ProfileFiles, prefix string) []string {
	ps, err := awsops.ListProfiles(files)
	if err != nil {
		return nil
	}
	var out []string
	for _, p := range ps {
		if !strings.HasPrefix(p.Name, prefix) {
			continue
		}
		desc := p.Region
		if desc == "" && !p.InConfig {
			desc = "credentials file"
		}
		out = append(out, describe(p.Name, desc))
	}
	return out
}

func startingWith(words []string, prefix string) []string {
	var out []string
	for _, w := range words {
		if strings.HasPrefix(w, prefix) {
			out = append(out, w)
		}
	}
	return out
}

func describe(value, description string) string {
	if description == "" {
		return value
	}
	return value + "\t" + description
}
