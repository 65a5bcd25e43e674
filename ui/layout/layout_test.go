package layout

import (
	"bytes"
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// module is the module's path; root its folder, from this package's.
const module = "github.com/snapcopy/snapcopy"

var root = filepath.Join("..", "..")

// pkg is a package as `go list -json` gives it.
type pkg struct {
	ImportPath string
	Imports    []string
	Deps       []string
}

// ours lists the module's packages (test files aside), with their imports
// and all their dependencies.
func ours(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-json=ImportPath,Imports,Deps", "./...")
	cmd.Dir = root
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("go list: %v: %s", err, errb.String())
	}
	var pkgs []pkg
	dec := json.NewDecoder(&out)
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages: not the module", len(pkgs))
	}
	return pkgs
}

// rel is a package of ours by its folder: "model/track"; "." for main.
func rel(path string) (string, bool) {
	if path == module {
		return ".", true
	}
	r, ok := strings.CutPrefix(path, module+"/")
	return r, ok
}

// under reports whether folder p is dir or inside it.
func under(p, dir string) bool { return p == dir || strings.HasPrefix(p, dir+"/") }

// layers are the rules, one per folder: the packages of ours a package
// there may import (by folder, each one and what is inside it), most specific
// first. Imports point down: ui -> track, awsops, validate, model;
// track -> model; awsops -> model; validate -> model; model and the
// simulator -> nothing of ours.
var layers = []struct {
	dir   string
	may   []string
	exact bool // may lists packages, not folders
}{
	{dir: "model/track", may: []string{"model"}, exact: true},
	{dir: "model", may: nil},
	{dir: "awsops/ec2sim", may: nil},
	{dir: "awsops/simtest", may: []string{"awsops", "model"}}, // a test helper: the simulator and a client on it
	{dir: "awsops", may: []string{"model"}, exact: true},
	{dir: "validate", may: []string{"model"}, exact: true},
	{dir: "ui", may: []string{"ui", "model", "awsops", "validate"}},
	{dir: ".", may: []string{"ui", "awsops", "model", "validate"}},
}

// allowed reports whether the package in folder from may import folder to.
func allowed(from, to string) (rule string, ok bool) {
	for _, l := range layers {
		if !under(from, l.dir) {
			continue
		}
		for _, m := range l.may {
			if to == m || !l.exact && under(to, m) {
				return l.dir, true
			}
		}
		return l.dir, false
	}
	return "", false
}

// Imports point down the layers, as STYLE.md draws them.
func TestImportsPointDown(t *testing.T) {
	for _, p := range ours(t) {
		from, _ := rel(p.ImportPath)
		t.Run(from, func(t *testing.T) {
			for _, imp := range p.Imports {
				to, mine := rel(imp)
				if !mine {
					continue
				}
				if rule, ok := allowed(from, to); !ok {
					t.Errorf("%s imports %s: %s may import only %v", from, to, rule, mayOf(rule))
				}
			}
		})
	}
}

func mayOf(rule string) []string {
	for _, l := range layers {
		if l.dir == rule {
			return l.may
		}
	}
	return nil
}

// Only awsops talks to AWS: no other package imports the SDK, and the
// tracker, the rules and the domain do not even depend on it.
func TestOnlyAwsopsImportsTheSDK(t *testing.T) {
	for _, p := range ours(t) {
		from, _ := rel(p.ImportPath)
		for _, imp := range p.Imports {
			if strings.HasPrefix(imp, "github.com/aws/") && !under(from, "awsops") {
				t.Errorf("%s imports %s: only awsops talks to AWS", from, imp)
			}
		}
		if under(from, "model") || under(from, "validate") {
			for _, d := range p.Deps {
				if strings.HasPrefix(d, "github.com/aws/") {
					t.Errorf("%s depends on %s: it must reach AWS through its own interface", from, d)
					break
				}
			}
		}
	}
}

// goFiles parses the module's Go files other than tests, by folder.
func goFiles(t *testing.T) map[string][]*ast.File {
	t.Helper()
	out := map[string][]*ast.File{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		dir, _ := filepath.Rel(root, filepath.Dir(path))
		out[filepath.ToSlash(dir)] = append(out[filepath.ToSlash(dir)], f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Rules of the code itself: only package model changes a copy's phase
// (its methods are named for the events that change it: elsewhere no code
// assigns a Phase field nor makes a model.Copy with one), and only the
// tracker's package steps copies (everyone else follows them with its one
// loop, track.Follow).
func TestCodeRules(t *testing.T) {
	rules := []struct {
		name, only, advice string
		find               func(*ast.File) []string
	}{
		{"only model changes a copy's phase", "model", "change it through model's methods", phaseChanges},
		{"only the tracker steps copies", "model/track", "follow copies with track.Follow", stepCalls},
	}
	files := goFiles(t)
	for _, r := range rules {
		t.Run(r.name, func(t *testing.T) {
			for dir, fs := range files {
				if dir == r.only {
					continue
				}
				for _, f := range fs {
					for _, what := range r.find(f) {
						t.Errorf("%s: %s: %s", dir, what, r.advice)
					}
				}
			}
		})
	}
}

// phaseChanges are f's assignments to a Phase field and model.Copy
// literals with a Phase.
func phaseChanges(f *ast.File) []string {
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, lhs := range n.Lhs {
				if sel, ok := lhs.(*ast.SelectorExpr); ok && sel.Sel.Name == "Phase" {
					out = append(out, exprString(sel)+" set")
				}
			}
		case *ast.CompositeLit:
			if exprString(n.Type) != "model.Copy" {
				break
			}
			for _, e := range n.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok && exprString(kv.Key) == "Phase" {
					out = append(out, "model.Copy made with a Phase")
				}
			}
		}
		return true
	})
	return out
}

// stepCalls are f's calls of a method named Step.
func stepCalls(f *ast.File) []string {
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Step" {
				out = append(out, exprString(sel))
			}
		}
		return true
	})
	return out
}

// The checks find what breaks the rules: a test that cannot fail proves
// nothing.
func TestTheRulesCatchABreak(t *testing.T) {
	for _, c := range []struct {
		from, to string
		ok       bool
	}{
		{"model/track", "awsops", false},
		{"model/track", "model", true},
		{"model", "model/track", false},
		{"validate", "ui/status", false},
		{"awsops", "awsops/ec2sim", false},
		{"awsops/ec2sim", "model", false},
		{"ui/cmd/watch", "model/track", true},
		{"ui/progress", "awsops", true},
		{".", "ui/cmd/copy", true},
	} {
		if _, ok := allowed(c.from, c.to); ok != c.ok {
			t.Errorf("%s may import %s: %v, want %v", c.from, c.to, ok, c.ok)
		}
	}
	src := `package x
func f(c *model.Copy, t *track.Tracker) {
	c.Phase = model.PhaseFailed
	_ = model.Copy{RequestID: "r", Phase: model.PhaseQueued}
	_ = model.Snapshot{State: "x"}
	t.Step(nil)
	t.Copies()
}`
	f, err := parser.ParseFile(token.NewFileSet(), "x.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := phaseChanges(f); len(got) != 2 {
		t.Errorf("phase changes %v, want the assignment and the literal", got)
	}
	if got := stepCalls(f); !slices.Equal(got, []string{"t.Step"}) {
		t.Errorf("steps %v, want t.Step", got)
	}
}

// exprString is a selector or identifier as written: "model.Copy".
func exprString(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return exprString(e.X) + "." + e.Sel.Name
	}
	return "…"
}
