package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/klearkarma/observability/internal/engine"
)

// opSymbols are the marks `pulumi preview` uses, so the summary reads the
// same as the engine's own output.
var opSymbols = map[string]string{
	"create": "+", "update": "~", "replace": "+-", "delete": "-", "import": "=", "read": ">", "discard": "<",
	"same": " ", "refresh": " ",
}

// printSteps lists every step that changes something, one a line (what,
// type, name, and the properties involved); unchanged ones are counted.
func printSteps(w io.Writer, steps []engine.Step) {
	if len(steps) == 0 {
		return
	}
	same := 0
	var lines []string
	for _, s := range steps {
		if s.Op == "same" || s.Op == "read" || s.Op == "refresh" {
			same++
			continue
		}
		line := fmt.Sprintf("  %-2s %-8s %s %s", opSymbols[s.Op], s.Op, s.Type, s.Name)
		if len(s.ReplaceKeys) > 0 {
			line += " (replaced because of " + strings.Join(s.ReplaceKeys, ", ") + ")"
		} else if len(s.Diffs) > 0 {
			line += " (" + strings.Join(s.Diffs, ", ") + ")"
		}
		if s.Warning != "" {
			line += "  <- DATA"
		}
		lines = append(lines, line)
	}
	fmt.Fprintf(w, "%d resource(s) change, %d unchanged:\n", len(lines), same)
	for _, l := range lines {
		fmt.Fprintln(w, l)
	}
}

// printWarnings prints each data warning on a line of its own that no one
// reading a log can take for progress output.
func printWarnings(w io.Writer, warnings []string) {
	if len(warnings) == 0 {
		return
	}
	fmt.Fprintf(w, "\n!!! %d step(s) delete or replace resources that hold data:\n", len(warnings))
	for _, m := range warnings {
		fmt.Fprintf(w, "!!! WARNING: %s\n", m)
	}
}
