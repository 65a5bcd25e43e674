package model

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestLastRequestsPath(t *testing.T) {
	cases := map[string]string{
		"/s/snapcopy/copies.json":      "/s/snapcopy/last-requests.json",
		"/s/snapcopy/copies-prod.json": "/s/snapcopy/last-requests-prod.json",
		"/s/snapcopy/demo-copies.json": "/s/snapcopy/demo-copies.last-requests.json",
		"/tmp/mine.state":              "/tmp/mine.last-requests.json",
	}
	for in, want := range cases {
		if got := LastRequestsPath(in); got != want {
			t.Errorf("LastRequestsPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// A request saved for a Region is read back as it was, beside the others,
// in a file of mode 0600 that no temporary file is left beside.
func TestLastRequestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state", "last-requests.json")
	west := LastRequest{
		Kind: ToRegion, Destination: "us-east-1", Encrypt: true, KmsKey: "alias/dr-ebs",
		SourceTags: SourceTagsShared, Tags: []Tag{{Key: "team", Value: "dr"}, {Key: "empty", Value: ""}},
		Duration: "60", SentAt: time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC),
	}
	lz := LastRequest{Kind: ToLocalZone, Destination: "us-east-1-bos-1a", SentAt: time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)}
	if _, ok, err := LoadLastRequest(path, "us-west-2"); ok || err != nil {
		t.Fatalf("no file: ok=%v err=%v, want nothing remembered and no error", ok, err)
	}
	if err := SaveLastRequest(path, "us-west-2", west); err != nil {
		t.Fatal(err)
	}
	if err := SaveLastRequest(path, "us-east-1", lz); err != nil {
		t.Fatal(err)
	}
	for region, want := range map[string]LastRequest{"us-west-2": west, "us-east-1": lz} {
		got, ok, err := LoadLastRequest(path, region)
		if err != nil || !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %+v, %v, %v; want %+v", region, got, ok, err, want)
		}
	}
	if _, ok, err := LoadLastRequest(path, "eu-central-1"); ok || err != nil {
		t.Errorf("a Region never sent from: ok=%v err=%v", ok, err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("the folder holds %d entries, want the file alone (no temporary left)", len(entries))
	}
	data, _ := os.ReadFile(path)
	for _, want := range []string{`"format": "snapcopy-last-requests/2"`, `"destination_kind": "local-zone"`, `"source_tags": "shared"`, `"kms_key": "alias/dr-ebs"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("the file does not hold %s:\n%s", want, data)
		}
	}
}

// A corrupt or foreign file is not used (a notice says so) and never
// overwritten by a save.
func TestLastRequestsNotOurs(t *testing.T) {
	for name, content := range map[string]string{
		"corrupt":   `{"format": "snapcopy-last-requests/1", "regions": {`,
		"foreign":   `{"format": "something-else", "regions": {}}`,
		"no format": `{"regions": {"us-west-2": {"destination_kind": "Region", "destination": "us-east-1"}}}`,
		"not JSON":  "region=us-west-2\n",
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "last-requests.json")
			if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			_, ok, err := LoadLastRequest(path, "us-west-2")
			var lre *LastRequestsError
			if ok || !errors.As(err, &lre) {
				t.Fatalf("ok=%v err=%v, want nothing remembered and a LastRequestsError", ok, err)
			}
			if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "left as it is") {
				t.Errorf("the notice does not say where and that it is left: %v", err)
			}
			if err := SaveLastRequest(path, "us-west-2", LastRequest{Kind: ToRegion, Destination: "us-east-1"}); !errors.As(err, &lre) {
				t.Errorf("save over a file not ours: %v, want a LastRequestsError", err)
			}
			if data, _ := os.ReadFile(path); string(data) != content {
				t.Errorf("the file was changed:\n%s", data)
			}
		})
	}
}

// An entry of a destination kind this version does not know is not used,
// and a save of another Region keeps it as it was.
func TestLastRequestUnknownKind(t *testing.T) {
	path := filepath.Join(t.TempDir(), "last-requests.json")
	content := `{"format": "snapcopy-last-requests/2", "regions": {"us-west-2": {"destination_kind": "moon", "destination": "tranquility", "source_tags": "own"}}}`
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := LoadLastRequest(path, "us-west-2"); ok || err != nil {
		t.Errorf("ok=%v err=%v, want the entry skipped", ok, err)
	}
	if err := SaveLastRequest(path, "us-east-1", LastRequest{Kind: ToRegion, Destination: "eu-west-1"}); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); !strings.Contains(string(data), `"destination_kind": "moon"`) {
		t.Errorf("the entry of another kind was lost:\n%s", data)
	}
}

// A file of version 1, written by an earlier snapcopy with the form's words
// ("Local Zone", "only shared"), is read as it meant and rewritten at once
// with the tokens: the words are read this once.
func TestLastRequestsOfVersion1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "last-requests.json")
	copyFile(t, filepath.Join("..", "testdata", "lastrequests", "last-requests-v1.json"), path)
	want := map[string]LastRequest{
		"us-west-2": {Kind: ToLocalZone, Destination: "us-west-2-lax-1a", Encrypt: true, KmsKey: "alias/dr-ebs", SourceTags: SourceTagsShared,
			Tags: []Tag{{Key: "team", Value: "dr"}}, Duration: "60", SentAt: time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)},
		"us-east-1": {Kind: ToRegion, Destination: "eu-west-1", SourceTags: SourceTagsOwn, SentAt: time.Date(2026, 3, 15, 17, 5, 0, 0, time.UTC)},
		"eu-west-1": {Kind: ToOutpost, Destination: "arn:aws:outposts:eu-west-1:123456789012:outpost/op-0abc1234def567890",
			SourceTags: SourceTagsNone, SentAt: time.Date(2026, 3, 16, 8, 0, 0, 0, time.UTC)},
	}
	got, ok, err := LoadLastRequest(path, "us-west-2")
	if err != nil || !ok || !reflect.DeepEqual(got, want["us-west-2"]) {
		t.Fatalf("got %+v, %v, %v; want %+v", got, ok, err, want["us-west-2"])
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"snapcopy-last-requests/2"`, `"local-zone"`, `"outpost"`, `"region"`, `"shared"`, `"own"`, `"none"`} {
		if !strings.Contains(string(data), s) {
			t.Errorf("the rewritten file lacks %s:\n%s", s, data)
		}
	}
	for _, s := range []string{"Local Zone", "Outpost", "only shared", "each copy's own", "snapcopy-last-requests/1"} {
		if strings.Contains(string(data), s) {
			t.Errorf("the rewritten file still says %q:\n%s", s, data)
		}
	}
	for region, w := range want {
		got, ok, err := LoadLastRequest(path, region)
		if err != nil || !ok || !reflect.DeepEqual(got, w) {
			t.Errorf("%s after the rewrite: got %+v, %v, %v; want %+v", region, got, ok, err, w)
		}
	}
}

// The tokens are fixed: they are what saved files and `snapcopy copy
// --source-tags` say, whatever the screens call the choices.
func TestTokens(t *testing.T) {
	kinds := map[DestinationKind]string{ToRegion: "region", ToOutpost: "outpost", ToLocalZone: "local-zone"}
	for k, tok := range kinds {
		b, err := k.MarshalText()
		var back DestinationKind
		if err != nil || string(b) != tok || back.UnmarshalText(b) != nil || back != k {
			t.Errorf("%v: %q %v, back %v", k, b, err, back)
		}
	}
	tags := map[SourceTags]string{SourceTagsOwn: "own", SourceTagsNone: "none", SourceTagsShared: "shared"}
	for s, tok := range tags {
		b, err := s.MarshalText()
		var back SourceTags
		if err != nil || string(b) != tok || back.UnmarshalText(b) != nil || back != s {
			t.Errorf("%v: %q %v, back %v", s, b, err, back)
		}
	}
	var s SourceTags
	if err := s.UnmarshalText([]byte("each copy's own")); err == nil || err.Error() != `source tags "each copy's own": must be own, none or shared` {
		t.Errorf("a display word read as a token: %v", err)
	}
	if _, err := SourceTags(7).MarshalText(); err == nil {
		t.Error("a choice that does not exist got a token")
	}
}
