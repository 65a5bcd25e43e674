package model

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// copyFile copies a file of testdata into a fresh folder, so a test may
// rewrite it.
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// The version 1 file in testdata was written by WatchList.Save before the
// state file had its own schema. It is read whole, tracked, and written
// back in format 2 with nothing lost.
func TestVersion1StateFileIsReadTrackedAndRewrittenAsVersion2(t *testing.T) {
	path := filepath.Join(t.TempDir(), "copies.json")
	copyFile(t, filepath.Join("..", "testdata", "state", "copies-v1.json"), path)
	var raw struct {
		Format string
		Copies []struct {
			RequestID string `json:"request_id"`
		}
	}
	data, _ := os.ReadFile(path)
	if err := json.Unmarshal(data, &raw); err != nil || raw.Format != "snapcopy-copies/1" || len(raw.Copies) != 6 {
		t.Fatalf("testdata is not the version 1 file with six copies: %v %+v", err, raw)
	}

	w, err := LoadWatchList(path, t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Copies) != 6 {
		t.Fatalf("loaded %d copies, want 6", len(w.Copies))
	}
	wantPhases := []Phase{PhaseQueued, PhaseSending, PhaseStarting, PhaseRunning, PhaseCompleted, PhaseFailed}
	for i, c := range w.Copies {
		if c.RequestID != raw.Copies[i].RequestID || c.Phase != wantPhases[i] {
			t.Errorf("copy %d = %s in %s, want %s in %s", i, c.RequestID, c.Phase, raw.Copies[i].RequestID, wantPhases[i])
		}
		if c.Request.SourceRegion != "us-west-2" || !strings.HasPrefix(c.Request.SourceSnapshotID, "snap-") || c.CreatedAt.IsZero() {
			t.Errorf("copy %d lost its request or creation time: %+v", i, c)
		}
		if got := c.Request.Tags[len(c.Request.Tags)-1]; got != (Tag{Key: RequestTagKey, Value: c.RequestID}) {
			t.Errorf("copy %d request tag = %+v", i, got)
		}
	}
	q, s, st, r, done, f := w.Copies[0], w.Copies[1], w.Copies[2], w.Copies[3], w.Copies[4], w.Copies[5]
	if q.Request.DestinationRegion != "us-east-1" || q.Request.Description != "nightly web" || len(q.Request.Tags) != 3 ||
		q.Request.Tags[0] != (Tag{Key: "team", Value: "web"}) || q.Request.Tags[1] != (Tag{Key: "cost-center", Value: "cc-42"}) ||
		q.SourceName != "web-frontend-01" || q.SizeGiB != 50 || !q.SentAt.IsZero() || !q.DoneAt.IsZero() || !q.AttemptedAt.IsZero() {
		t.Errorf("queued copy = %+v", q)
	}
	if !s.Request.Encrypted || s.Request.KmsKeyID != "alias/backup" || s.Attempts != 1 || s.AttemptedAt.IsZero() || s.Note == "" {
		t.Errorf("sending copy = %+v", s)
	}
	if st.Request.CompletionDurationMinutes != 120 || st.SnapshotID != "snap-0dddddddddddddd01" || st.SentAt.IsZero() {
		t.Errorf("time-based starting copy = %+v", st)
	}
	if r.Request.DestinationOutpostArn == "" || r.Progress != 35 || len(r.Samples) != 2 || r.Samples[0].Progress != 10 || r.Samples[1].Progress != 35 {
		t.Errorf("running copy = %+v", r)
	}
	if done.Request.DestinationAvailabilityZone != "us-west-2-lax-1a" || done.Progress != 100 || done.DoneAt.IsZero() {
		t.Errorf("completed copy = %+v", done)
	}
	if !strings.Contains(f.StateMessage, "KMSKeyNotFoundException") || f.DoneAt.IsZero() || f.SourceName != "" {
		t.Errorf("failed copy = %+v", f)
	}
	if u := w.Unfinished(); len(u) != 4 {
		t.Errorf("%d copies to follow, want 4", len(u))
	}

	if err := w.Save(path); err != nil {
		t.Fatal(err)
	}
	saved, _ := os.ReadFile(path)
	if !strings.Contains(string(saved), `"format": "snapcopy-copies/2"`) {
		t.Errorf("saved file is not format 2:\n%s", saved)
	}
	for _, gone := range []string{"0001-01-01", "DryRun", "DestinationRegion"} {
		if strings.Contains(string(saved), gone) {
			t.Errorf("saved file still holds %q:\n%s", gone, saved)
		}
	}
	again, err := LoadWatchList(path, t0)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again.Copies, w.Copies) {
		t.Errorf("read back from format 2:\n%+v\nwant\n%+v", again.Copies, w.Copies)
	}
}

// fill sets every settable field reachable from v to a value that is not
// zero, so a field the schema forgets shows up as a difference.
func fill(t *testing.T, v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString("v" + string(rune('a'+*n%26)))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(t, s.Index(0), n)
		v.Set(s)
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(t0.Add(time.Duration(*n) * time.Second)))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Field(i).CanSet() {
				fill(t, v.Field(i), n)
			}
		}
	default:
		t.Fatalf("fill: add kind %s (%s) here and to the state file's schema", v.Kind(), v.Type())
	}
}

// Every field of Copy goes through the state file and back, except
// DryRun, which a tracked copy never has. A field added to Copy and not to
// the schema fails here, rather than being lost at the next restart.
func TestStateFileSchemaKeepsEveryFieldOfACopy(t *testing.T) {
	var c Copy
	n := 0
	fill(t, reflect.ValueOf(&c).Elem(), &n)
	data, err := encodeState([]*Copy{&c})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.ToLower(string(data)), "dry") {
		t.Errorf("the state file holds the dry-run flag:\n%s", data)
	}
	c.Phase = PhaseRunning                                                        // the loader sets aside a phase it does not know
	c.Request.SnapLock.Mode, c.SnapLock.Step = SnapLockCompliance, SnapLockLocked // and lock tokens too
	c.Cross.Step = CrossCleanup                                                   // and a step it does not know
	data, _ = encodeState([]*Copy{&c})
	d, bad := decodeState(data)
	if bad != nil || len(d.copies) != 1 {
		t.Fatalf("decode: %+v %+v", d, bad)
	}
	want := c
	want.Request.DryRun = false
	if got := *d.copies[0]; !reflect.DeepEqual(got, want) {
		t.Errorf("through the state file:\n%+v\nwant\n%+v", got, want)
	}
}

// Empty values are left out, and the names are the schema's, not Go's.
func TestStateFileLeavesOutEmptyValues(t *testing.T) {
	c := NewCopy(CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: "snap-1", DryRun: true}, Snapshot{}, t0)
	data, err := encodeState([]*Copy{c})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Format string           `json:"format"`
		Copies []map[string]any `json:"copies"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Format != "snapcopy-copies/2" || len(doc.Copies) != 1 {
		t.Fatalf("file = %s", data)
	}
	var keys []string
	for k := range doc.Copies[0] {
		keys = append(keys, k)
	}
	for _, k := range []string{"request_id", "request", "phase", "created_at", "updated_at"} {
		if _, ok := doc.Copies[0][k]; !ok {
			t.Errorf("copy has no %q: %v", k, keys)
		}
	}
	for _, k := range []string{"sent_at", "done_at", "attempted_at", "attempts", "samples", "snapshot_id", "progress", "note"} {
		if _, ok := doc.Copies[0][k]; ok {
			t.Errorf("copy holds the empty %q: %s", k, data)
		}
	}
	req := doc.Copies[0]["request"].(map[string]any)
	if req["destination_region"] != "us-east-1" || req["source_snapshot_id"] != "snap-1" || len(req) != 4 {
		t.Errorf("request = %v; want destination_region, source_region, source_snapshot_id and tags only", req)
	}
}

// A file of a format a later snapcopy writes is kept aside unchanged,
// with a message saying so, not called foreign.
func TestNewerStateFileIsKeptAsideWithUpgradeMessage(t *testing.T) {
	for _, content := range []string{
		`{"format":"snapcopy-copies/3","copies":[{"request_id":"sc-1","phase":"queued"}]}`,
		`{"format":"snapcopy-copies/12","copies":{"by_region":{}}}`,
	} {
		path := filepath.Join(t.TempDir(), "copies.json")
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		w, err := LoadWatchList(path, t0)
		var sfe *StateFileError
		if !errors.As(err, &sfe) || w == nil || len(w.Copies) != 0 {
			t.Fatalf("LoadWatchList = %v, %v; want an empty list and a StateFileError", w, err)
		}
		msg := err.Error()
		if !strings.Contains(msg, "written by a newer snapcopy; upgrade, or use --state-file") || strings.Contains(msg, "not a snapcopy state file") ||
			!strings.Contains(msg, sfe.KeptAs) {
			t.Errorf("message = %q", msg)
		}
		if kept, _ := os.ReadFile(sfe.KeptAs); string(kept) != content {
			t.Errorf("kept-aside file holds %q, want the original", kept)
		}
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the newer file is still at %s, where the next save would replace it", path)
		}
	}
}

// Copies that cannot be followed are set apart in a file of their own;
// the others are tracked, and the state file no longer holds the bad ones.
func TestUnusableCopiesAreKeptAsideAndTheRestTracked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "copies.json")
	req := `"request":{"destination_region":"us-east-1","source_region":"us-west-2","source_snapshot_id":"snap-0123456789abcdef0"}`
	content := `{"format":"snapcopy-copies/2","copies":[
		{"request_id":"sc-1","phase":"running","snapshot_id":"snap-1",` + req + `},
		{"request_id":"sc-2","phase":"exploded","snapshot_id":"snap-2",` + req + `},
		{"request_id":"sc-3","phase":"queued",` + req + `},
		{"request_id":"sc-1","phase":"queued",` + req + `},
		{"phase":"running"},
		{"request_id":"sc-4","phase":"running","progress":"lots"},
		{"request_id":"sc-5","phase":"completed",` + req + `},
		{"request_id":"sc-6","phase":"queued","request":{"DestinationRegion":"us-east-1","SourceRegion":"us-west-2","SourceSnapshotID":"snap-0123456789abcdef0"}},
		{"request_id":"sc-7","phase":"running","request":{"destination_region":"us-east-1","source_region":"us-west-2","source_snapshot_id":"snap-0123456789abcdef0"}},
		{"request_id":"found-snap-8","phase":"running","snapshot_id":"snap-8","discovered":true,"request":{"destination_region":"us-east-1"}}]}`
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	w, err := LoadWatchList(path, t0)
	var sfe *StateFileError
	if !errors.As(err, &sfe) || w == nil {
		t.Fatalf("LoadWatchList = %v, %v", w, err)
	}
	var ids []string
	for _, c := range w.Copies {
		ids = append(ids, c.RequestID+"/"+string(c.Phase))
	}
	if strings.Join(ids, " ") != "sc-1/running sc-3/queued sc-5/completed found-snap-8/running" {
		t.Errorf("tracked %v, want sc-1 (the first of two), sc-3, sc-5 and found-snap-8", ids)
	}
	msg := err.Error()
	for _, want := range []string{path, sfe.KeptAs, "sc-2", `"exploded"`, "sc-1 is listed twice", "no request id", "sc-4",
		// Format 1's names in a format 2 file leave the request empty.
		"copy sc-6 has no source Region, no source snapshot id, no destination Region",
		"copy sc-7 has no snapshot id", "other copies are tracked"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q does not say %q", msg, want)
		}
	}
	if sfe.Copies != 6 {
		t.Errorf("Copies = %d, want 6", sfe.Copies)
	}
	var kept struct {
		Format string
		Copies []map[string]any
	}
	data, _ := os.ReadFile(sfe.KeptAs)
	if err := json.Unmarshal(data, &kept); err != nil || kept.Format != "snapcopy-copies/2" || len(kept.Copies) != 6 ||
		kept.Copies[0]["request_id"] != "sc-2" || kept.Copies[0]["snapshot_id"] != "snap-2" || kept.Copies[1]["phase"] != "queued" ||
		kept.Copies[3]["progress"] != "lots" {
		t.Errorf("kept-aside file = %s (%v)", data, err)
	}
	again, err := LoadWatchList(path, t0)
	if err != nil || len(again.Copies) != 4 {
		t.Errorf("the state file was not saved without the bad copies: %v, %v", again, err)
	}
}

// Two bad files kept aside at the same instant both survive.
func TestTwoBadStateFilesAtOneMomentAreBothKept(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "copies.json")
	contents := []string{"first {", "second {", `{"format":"snapcopy-copies/9"}`}
	var kept []string
	for _, c := range contents {
		if err := os.WriteFile(path, []byte(c), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := LoadWatchList(path, t0)
		var sfe *StateFileError
		if !errors.As(err, &sfe) {
			t.Fatalf("err = %v", err)
		}
		kept = append(kept, sfe.KeptAs)
	}
	for i, k := range kept {
		if got, _ := os.ReadFile(k); string(got) != contents[i] {
			t.Errorf("kept-aside file %s holds %q, want %q", k, got, contents[i])
		}
	}
	if kept[0] == kept[1] || kept[1] == kept[2] {
		t.Errorf("kept-aside names clash: %v", kept)
	}
	// Copies set aside at that same moment get a name of their own too.
	if err := os.WriteFile(path, []byte(`{"format":"snapcopy-copies/2","copies":[{"request_id":"sc-1","phase":"gone"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadWatchList(path, t0)
	var sfe *StateFileError
	if !errors.As(err, &sfe) || sfe.Copies != 1 {
		t.Fatalf("err = %v", err)
	}
	for i, k := range kept {
		if got, _ := os.ReadFile(k); string(got) != contents[i] {
			t.Errorf("after setting copies aside, %s holds %q, want %q", k, got, contents[i])
		}
	}
	if !strings.HasPrefix(filepath.Base(kept[0]), "copies.json.bad-20261125T100000.000000000Z") {
		t.Errorf("kept-aside name %s does not carry the UTC time", kept[0])
	}
}

// A state path that is a link is resolved to the file it points to, also
// before that file exists and through linked folders.
func TestResolveStatePathFollowsLinks(t *testing.T) {
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	a := filepath.Join(root, "A")
	if err := os.Mkdir(a, 0o700); err != nil {
		t.Fatal(err)
	}
	real := filepath.Join(a, "copies.json")
	link := func(target, name string) string {
		p := filepath.Join(root, name)
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	dangling := link("A/copies.json", "L.json") // relative, target not made yet
	folder := link(a, "B")
	cases := map[string]string{
		real:                                   real,
		dangling:                               real,
		filepath.Join(folder, "copies.json"):   real,
		filepath.Join(root, "new", "sub", "x"): filepath.Join(root, "new", "sub", "x"),
		filepath.Join(folder, "new", "x.json"): filepath.Join(a, "new", "x.json"),
	}
	check := func() {
		for in, want := range cases {
			if got, err := ResolveStatePath(in); err != nil || got != want {
				t.Errorf("ResolveStatePath(%s) = %s, %v; want %s", in, got, err, want)
			}
		}
	}
	check()
	if err := os.WriteFile(real, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases[link(dangling, "LL.json")] = real // a link to a link
	check()
	loop := link("loop2", "loop1")
	link("loop1", "loop2")
	if _, err := ResolveStatePath(loop); err == nil {
		t.Error("a loop of links resolved")
	}
}

// Saving through a link writes the file it points to; the link stays.
func TestSavingThroughALinkKeepsTheLink(t *testing.T) {
	root := t.TempDir()
	real := filepath.Join(root, "A", "copies.json")
	if err := os.Mkdir(filepath.Dir(real), 0o700); err != nil {
		t.Fatal(err)
	}
	linkPath := filepath.Join(root, "L.json")
	if err := os.Symlink(real, linkPath); err != nil {
		t.Fatal(err)
	}
	w := &WatchList{}
	w.Add(NewCopy(CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: "snap-0123456789abcdef0"}, Snapshot{}, t0))
	for i := 0; i < 2; i++ { // before and after the target exists
		if err := w.Save(linkPath); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Lstat(linkPath); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Fatalf("save %d: %s is no longer a link (%v)", i+1, linkPath, err)
		}
		got, err := LoadWatchList(real, t0)
		if err != nil || len(got.Copies) != 1 || got.Copies[0].RequestID != w.Copies[0].RequestID {
			t.Fatalf("save %d: the linked file holds %v, %v", i+1, got, err)
		}
	}
	entries, _ := os.ReadDir(root)
	if len(entries) != 2 {
		t.Errorf("the link's folder holds %d entries, want A and L.json", len(entries))
	}
}

// Root saving an operator's state file leaves it the operator's.
func TestSaveAsRootKeepsTheFilesOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	const uid, gid = 4242, 4343
	dir := filepath.Join(t.TempDir(), "snapcopy")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(dir, uid, gid); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "copies.json")
	w := &WatchList{}
	w.Add(NewCopy(CopyRequest{}, Snapshot{}, t0))
	if err := w.Save(path); err != nil { // new file: the folder's owner
		t.Fatal(err)
	}
	if u, g, _ := ownerOf(path); u != uid || g != gid {
		t.Errorf("new state file owned by %d:%d, want the folder's %d:%d", u, g, uid, gid)
	}
	if err := os.Chown(path, uid+1, gid+1); err != nil {
		t.Fatal(err)
	}
	if err := w.Save(path); err != nil { // existing file: its owner
		t.Fatal(err)
	}
	if u, g, _ := ownerOf(path); u != uid+1 || g != gid+1 {
		t.Errorf("saved state file owned by %d:%d, want the previous owner %d:%d", u, g, uid+1, gid+1)
	}
}
