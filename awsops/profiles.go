package awsops

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/config"
)

// Profile is one named profile of the shared config and credentials files.
type Profile struct {
	Name string
	// Region is the profile's region in the config file ("" when it sets
	// none).
	Region string
	// InConfig and InCredentials say which of the two files define it.
	InConfig, InCredentials bool
}

// ProfileFiles are the paths of the shared config and credentials files.
type ProfileFiles struct{ Config, Credentials string }

// DefaultProfileFiles are the files the AWS CLI and the SDK read:
// AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/config and
// ~/.aws/credentials.
func DefaultProfileFiles() ProfileFiles {
	f := ProfileFiles{Config: os.Getenv("AWS_CONFIG_FILE"), Credentials: os.Getenv("AWS_SHARED_CREDENTIALS_FILE")}
	if f.Config == "" {
		f.Config = config.DefaultSharedConfigFilename()
	}
	if f.Credentials == "" {
		f.Credentials = config.DefaultSharedCredentialsFilename()
	}
	return f
}

// ListProfiles reads the profiles of files, sorted by name, as the SDK
// reads them: in the config file `[profile NAME]` and `[default]`
// (sso-session and services sections are not profiles, nor is any other
// section); in the credentials file every `[NAME]`. A profile in both is
// listed once. A file that does not exist defines none.
func ListProfiles(files ProfileFiles) ([]Profile, error) {
	byName := map[string]*Profile{}
	get := func(name string) *Profile {
		if byName[name] == nil {
			byName[name] = &Profile{Name: name}
		}
		return byName[name]
	}
	err := readSections(files.Config, func(typ, name string, keys map[string]string) {
		if n, ok := configProfile(typ, name); ok {
			p := get(n)
			p.InConfig = true
			if r := keys["region"]; r != "" {
				p.Region = r
			}
		}
	})
	if err != nil {
		return nil, err
	}
	err = readSections(files.Credentials, func(typ, name string, _ map[string]string) {
		// The SDK drops `[profile NAME]` from the credentials file as an
		// invalid name (the AWS CLI would list it as "profile NAME", a
		// profile snapcopy could then not load).
		if typ == "" {
			get(name).InCredentials = true
		}
	})
	if err != nil {
		return nil, err
	}
	out := make([]Profile, 0, len(byName))
	for _, p := range byName {
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// configProfile is the profile a config file's section header names, if
// any: `[profile NAME]`, or `[default]`.
func configProfile(typ, name string) (string, bool) {
	switch {
	case typ == "profile":
		return name, true
	case typ == "" && strings.EqualFold(name, "default"):
		return "default", true
	}
	return "", false
}

// readSections calls section for each section of the ini file at path
// once it is read, with its header split into a type and a name ("profile",
// "dev"; "" and "default") and its top-level keys, lower-cased. The rules
// are those of the SDK's own reader: comments start with # or ;, a header's
// comment and spaces are trimmed, a key's value ends at " #" or " ;".
func readSections(path string, section func(typ, name string, keys map[string]string)) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read AWS profiles: %w", err)
	}
	defer f.Close()

	var typ, name string
	var keys map[string]string
	flush := func() {
		if keys != nil {
			section(typ, name, keys)
		}
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || trimmed[0] == '#' || trimmed[0] == ';' {
			continue
		}
		if h, ok := header(line); ok {
			flush()
			typ, name = splitHeader(h)
			keys = map[string]string{}
			continue
		}
		// Indented lines are sub-properties or continuations: not a
		// profile's own key.
		if keys == nil || line[0] == ' ' || line[0] == '\t' {
			continue
		}
		if k, v, ok := property(line); ok {
			keys[k] = v
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read AWS profiles from %s: %w", path, err)
	}
	flush()
	return nil
}

// header is the inside of a `[ ... ]` line, its comment and spaces trimmed.
func header(line string) (string, bool) {
	h, _, _ := strings.Cut(line, "#")
	h, _, _ = strings.Cut(h, ";")
	h = strings.TrimSpace(h)
	if len(h) < 2 || h[0] != '[' || h[len(h)-1] != ']' {
		return "", false
	}
	return strings.TrimSpace(h[1 : len(h)-1]), true
}

// splitHeader splits "profile dev" into its type and name; a header of
// one word is a name alone.
func splitHeader(h string) (typ, name string) {
	i := strings.IndexAny(h, " \t")
	if i < 0 {
		return "", h
	}
	return h[:i], strings.TrimSpace(h[i:])
}

// property reads `key = value # comment` (or `key: value`).
func property(line string) (key, value string, ok bool) {
	for _, c := range []string{" #", " ;", "\t#", "\t;"} {
		line, _, _ = strings.Cut(line, c)
	}
	sep := "="
	if eq, colon := strings.Index(line, "="), strings.Index(line, ":"); eq < 0 || colon >= 0 && colon < eq {
		sep = ":"
	}
	k, v, ok := strings.Cut(line, sep)
	if !ok {
		return "", "", false
	}
	return strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v), true
}
