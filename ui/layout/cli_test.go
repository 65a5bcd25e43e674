package layout

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// Cobra is the command line's edge: only package cli builds on it (the
// commands define pflag flags and run as cmd.Command), and the man page
// generator (cobra/doc, go-md2man) is linked into the generator that
// make dist runs, never into snapcopy.
func TestCobraStaysAtTheEdge(t *testing.T) {
	for _, p := range ours(t) {
		from, _ := rel(p.ImportPath)
		for _, imp := range p.Imports {
			if strings.HasPrefix(imp, "github.com/spf13/cobra") && !under(from, "ui/cmd/cli") {
				t.Errorf("%s imports %s: only ui/cmd/cli builds the command line on cobra", from, imp)
			}
		}
	}
	cmd := exec.Command("go", "list", "-deps", ".")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "github.com/spf13/cobra") {
		t.Fatalf("snapcopy does not depend on cobra: not the binary this test means (%d deps)", len(deps))
	}
	for _, d := range deps {
		for _, gen := range []string{"github.com/spf13/cobra/doc", "github.com/cpuguy83/go-md2man", "github.com/russross/blackfriday"} {
			if strings.HasPrefix(d, gen) {
				t.Errorf("snapcopy depends on %s: the man page generator belongs to ui/cmd/cli/gen", d)
			}
		}
	}
}
