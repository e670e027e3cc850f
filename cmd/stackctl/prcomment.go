package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/klearkarma/observability/internal/engine"
	"github.com/klearkarma/observability/internal/manifestdiff"
)

// The pull-request comment: CI writes, per stack, the rendered-object diff
// (`stackctl diff --json`), the real preview where it had credentials
// (`stackctl preview --json`) and the policy tests' results (`go test -json
// ./test/policy/`), and `stackctl pr-comment` turns them into one Markdown
// comment that the workflow creates once and then edits in place, found by
// its marker. Everything in it comes from files that never hold a secret
// value: the diff redacts Secrets, the preview steps carry property names
// only, and the tests' output is what `go test` printed.

// commentMarker identifies the comment to update on every push.
const commentMarker = "<!-- klearkarma-observability-pr -->"

// githubCommentLimit is the most characters GitHub accepts in a comment
// body. The composer counts bytes, never fewer than characters.
const githubCommentLimit = 65536

// Bounds of the fixed parts of a stack's section, so that the diffs, which
// have graceful truncation of their own, get most of the room.
const (
	maxStepRows       = 80
	maxWarnings       = 40
	maxPolicyFailures = 20
	maxFailureOutput  = 2000
	maxNote           = 2000
)

type prCommentFlags struct {
	in, policy, out, runURL, commit, base, title string
}

// defaultTitle is the pull-request comment's heading; the nightly drift
// check gives its issue another.
const defaultTitle = "Observability stacks: what this pull request changes"

func (f *prCommentFlags) register(fl *flag.FlagSet) {
	fl.StringVar(&f.in, "in", ".", "pr-comment: directory with each stack's diff-<stack>.json and preview-<stack>.json (either may be missing), and notes diff-<stack>.txt, preview-<stack>.txt saying why one is missing")
	fl.StringVar(&f.policy, "policy", "", "pr-comment: the policy tests' results, as go test -json ./test/policy/ prints them (subtests are assigned to a stack by a name segment equal to it)")
	fl.StringVar(&f.out, "out", "", "pr-comment: write the comment to this file instead of stdout")
	fl.StringVar(&f.runURL, "run-url", "", "pr-comment: link to the workflow run, shown in the comment")
	fl.StringVar(&f.commit, "commit", "", "pr-comment: the head commit the comment describes")
	fl.StringVar(&f.title, "title", defaultTitle, "pr-comment: the heading (the drift check's issue uses its own)")
}

// stackInput is what CI produced for one stack; any part may be missing.
type stackInput struct {
	name        string
	diff        *manifestdiff.Report
	diffNote    string
	preview     *result
	previewNote string
	// refresh is `refresh --preview-only --json` (the drift check's).
	refresh *result
}

func prComment(f prCommentFlags, stackNames []string, maxChars int, stdout, stderr io.Writer) int {
	if len(stackNames) == 0 {
		fmt.Fprintln(stderr, "stackctl: pr-comment needs the stacks to report on, e.g. `stackctl pr-comment local dev prod`")
		return 2
	}
	var inputs []stackInput
	for _, name := range stackNames {
		in, err := readStackInput(f.in, name)
		if err != nil {
			fmt.Fprintf(stderr, "stackctl: pr-comment: %v\n", err)
			return 1
		}
		inputs = append(inputs, in)
	}
	var policy *policyResults
	if f.policy != "" {
		p, err := readPolicyResults(f.policy)
		if err != nil {
			fmt.Fprintf(stderr, "stackctl: pr-comment: %v\n", err)
			return 1
		}
		policy = &p
	}
	body := composeComment(commentInput{stacks: inputs, policy: policy, runURL: f.runURL, commit: f.commit, base: f.base, title: f.title}, maxChars)
	w := stdout
	if f.out != "" {
		file, err := os.Create(f.out)
		if err != nil {
			fmt.Fprintf(stderr, "stackctl: pr-comment: %v\n", err)
			return 1
		}
		defer file.Close()
		w = file
	}
	if _, err := io.WriteString(w, body); err != nil {
		fmt.Fprintf(stderr, "stackctl: pr-comment: %v\n", err)
		return 1
	}
	return 0
}

func readStackInput(dir, stack string) (stackInput, error) {
	in := stackInput{name: stack}
	if b, err := readOptional(filepath.Join(dir, "diff-"+stack+".json")); err != nil {
		return in, err
	} else if b != nil {
		var r manifestdiff.Report
		if err := json.Unmarshal(b, &r); err != nil {
			return in, fmt.Errorf("diff-%s.json is not `stackctl diff --json` output: %w", stack, err)
		}
		if r.Schema != manifestdiff.JSONSchema {
			return in, fmt.Errorf("diff-%s.json has schema %q, want %q: write it with this revision's `stackctl diff --json`", stack, r.Schema, manifestdiff.JSONSchema)
		}
		in.diff = &r
	}
	if b, err := readOptional(filepath.Join(dir, "preview-"+stack+".json")); err != nil {
		return in, err
	} else if b != nil {
		var r result
		if err := json.Unmarshal(b, &r); err != nil {
			return in, fmt.Errorf("preview-%s.json is not `stackctl preview --json` output: %w", stack, err)
		}
		in.preview = &r
	}
	if b, err := readOptional(filepath.Join(dir, "refresh-"+stack+".json")); err != nil {
		return in, err
	} else if b != nil {
		var r result
		if err := json.Unmarshal(b, &r); err != nil {
			return in, fmt.Errorf("refresh-%s.json is not `stackctl refresh --preview-only --json` output: %w", stack, err)
		}
		in.refresh = &r
	}
	for _, n := range []struct {
		file string
		to   *string
	}{{"diff-" + stack + ".txt", &in.diffNote}, {"preview-" + stack + ".txt", &in.previewNote}} {
		b, err := readOptional(filepath.Join(dir, n.file))
		if err != nil {
			return in, err
		}
		*n.to = strings.TrimSpace(string(b))
	}
	return in, nil
}

// readOptional is the file's content, or nil when it does not exist.
func readOptional(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return b, err
}

type commentInput struct {
	stacks                      []stackInput
	policy                      *policyResults
	runURL, commit, base, title string
}

// section is one part of the comment: fixed text around an optional diff
// that can be shortened to fit.
type section struct {
	before, after string
	diff          func(maxChars int) string // nil: no diff
}

func (s section) render(diffMax int) string {
	if s.diff == nil {
		return s.before + s.after
	}
	return s.before + s.diff(diffMax) + s.after
}

// composeComment writes the comment: a summary table of every stack, every
// data warning, then a section per stack. When the whole is over maxChars
// the stacks' diffs share what is left fairly (a small one keeps all it
// needs, the big ones split the rest), and each says what it left out.
func composeComment(in commentInput, maxChars int) string {
	head := commentHead(in)
	var sections []section
	for _, s := range in.stacks {
		sections = append(sections, stackSection(s, in))
	}
	if in.policy != nil {
		if general := in.policy.general(stackNames(in.stacks)); len(general) > 0 {
			sections = append(sections, section{before: "### Policy checks for every stack\n\n" + policyText(general) + "\n"})
		}
	}
	foot := "\n---\n<sub>Composed by `stackctl pr-comment` and updated in place on every push. Offline renders use stand-in plugins for aws, grafana and pagerduty and placeholder secrets; nothing in this comment is a secret value.</sub>\n"

	full := make([]string, len(sections))
	total := len(head) + len(foot)
	for i, s := range sections {
		full[i] = s.render(0)
		total += len(full[i])
	}
	if maxChars <= 0 || total <= maxChars {
		return head + strings.Join(full, "") + foot
	}

	// Water-filling: sections in order of size get an equal share of what
	// is left, or less when they need less.
	const truncNote = "\n_Parts of this comment were shortened to stay under GitHub's comment size limit; the workflow run has every file in full._\n"
	budget := maxChars - len(head) - len(foot) - len(truncNote)
	order := make([]int, len(sections))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return len(full[order[a]]) < len(full[order[b]]) })
	out := make([]string, len(sections))
	left := budget
	for k, i := range order {
		share := left / (len(order) - k)
		if len(full[i]) <= share {
			out[i] = full[i]
		} else {
			s := sections[i]
			fixed := len(s.before) + len(s.after)
			diffMax := share - fixed
			if s.diff != nil && diffMax > 200 {
				out[i] = s.render(diffMax)
			} else {
				out[i] = clipText(s.before, max(share-len(s.after), 0)) + s.after
			}
			if len(out[i]) > share {
				out[i] = clipText(out[i], share)
			}
		}
		left -= len(out[i])
	}
	body := head + strings.Join(out, "") + truncNote + foot
	return clipText(body, maxChars)
}

func stackNames(stacks []stackInput) []string {
	var out []string
	for _, s := range stacks {
		out = append(out, s.name)
	}
	return out
}

func commentHead(in commentInput) string {
	var b strings.Builder
	title := in.title
	if title == "" {
		title = defaultTitle
	}
	b.WriteString(commentMarker + "\n## " + escapeLine(title) + "\n\n")
	var facts []string
	if in.commit != "" {
		facts = append(facts, "Head "+code(shortCommit(in.commit)))
	}
	if in.base != "" {
		facts = append(facts, "compared with "+code(in.base))
	}
	if in.runURL != "" {
		facts = append(facts, "[workflow run]("+in.runURL+")")
	}
	if len(facts) > 0 {
		b.WriteString(strings.Join(facts, " · ") + "\n\n")
	}
	b.WriteString("| Stack | Resources (real preview) | Rendered Kubernetes objects | Policy checks |\n| --- | --- | --- | --- |\n")
	for _, s := range in.stacks {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", code(s.name), previewCell(s), diffCell(s), policyCell(in.policy, s.name))
	}
	var warnings []string
	for _, s := range in.stacks {
		for _, r := range []*result{s.preview, s.refresh} {
			if r == nil {
				continue
			}
			for _, st := range r.Steps {
				if st.Warning != "" {
					warnings = append(warnings, code(s.name)+": "+escapeLine(st.Warning))
				}
			}
		}
	}
	if len(warnings) > 0 {
		fmt.Fprintf(&b, "\n> [!CAUTION]\n> **%d step(s) delete or replace resources that hold data.** Check each one before merging:\n", len(warnings))
		for i, w := range warnings {
			if i == maxWarnings {
				fmt.Fprintf(&b, "> - and %d more (see the stacks below)\n", len(warnings)-maxWarnings)
				break
			}
			fmt.Fprintf(&b, "> - %s\n", w)
		}
	}
	b.WriteString("\n")
	return b.String()
}

func previewCell(s stackInput) string {
	if s.preview == nil {
		return "not run"
	}
	c := s.preview.Changes
	var parts []string
	for _, op := range []string{"create", "update", "replace", "delete"} {
		if n := c[op]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d to %s", n, op))
		}
	}
	n := 0
	for _, st := range s.preview.Steps {
		if st.Warning != "" {
			n++
		}
	}
	if len(parts) == 0 {
		return "no changes"
	}
	text := strings.Join(parts, ", ")
	if n > 0 {
		text = fmt.Sprintf("⚠️ **%s; %d put data at risk**", text, n)
	}
	return text
}

func diffCell(s stackInput) string {
	if s.diff == nil {
		return "no render (see below)"
	}
	sum := s.diff.Summary
	if sum.Total() == 0 {
		return fmt.Sprintf("no change (%d objects)", sum.Unchanged)
	}
	text := fmt.Sprintf("%d added, %d changed, %d removed", sum.Added, sum.Changed, sum.Removed)
	if s.diff.BaseMissing {
		text += " (new stack)"
	}
	return text
}

func policyCell(p *policyResults, stack string) string {
	if p == nil {
		return "not run"
	}
	tests := p.forStack(stack)
	if len(tests) == 0 {
		return "none for this stack"
	}
	return policyCounts(tests)
}

// stackSection is a stack's part of the comment: its preview steps, its
// rendered-object diff and its policy results.
func stackSection(s stackInput, in commentInput) section {
	var b strings.Builder
	fmt.Fprintf(&b, "### Stack %s\n\n", code(s.name))

	b.WriteString("#### Resources (real `pulumi preview`)\n\n")
	switch {
	case s.preview != nil:
		b.WriteString(stepsText(s.preview))
	case s.previewNote != "":
		b.WriteString("Not run: " + noteText(s.previewNote))
	default:
		b.WriteString("Not run: this run has no credentials for the stack (a pull request from a fork, or no preview environment for it).\n\n")
	}
	if s.refresh != nil {
		b.WriteString("#### Read back from the cloud and the cluster (`refresh --preview-only`)\n\n")
		b.WriteString(stepsText(s.refresh))
	}

	title := "#### Rendered Kubernetes objects (offline render"
	if in.base != "" {
		title += ", compared with " + code(in.base)
	}
	b.WriteString(title + ")\n\n")
	sec := section{}
	if s.diff != nil {
		report := *s.diff
		sec.diff = func(maxChars int) string { return report.Markdown("", manifestdiff.MaxChars(maxChars)) }
	} else if s.diffNote != "" {
		b.WriteString("No render: " + noteText(s.diffNote))
	} else {
		b.WriteString("No render: the diff did not run or failed; the workflow run's log says why.\n\n")
	}
	sec.before = b.String()

	var a strings.Builder
	if in.policy != nil {
		if tests := in.policy.forStack(s.name); len(tests) > 0 {
			a.WriteString("\n#### Policy checks\n\n" + policyText(tests))
		}
	}
	a.WriteString("\n")
	sec.after = a.String()
	return sec
}

// stepsText is the preview's counts and a table of the steps that change
// something, data warnings first.
func stepsText(r *result) string {
	var b strings.Builder
	changed, same := []engine.Step{}, 0
	for _, s := range r.Steps {
		switch s.Op {
		case "same", "read", "refresh":
			same++
		default:
			changed = append(changed, s)
		}
	}
	if len(changed) == 0 {
		fmt.Fprintf(&b, "No resource changes (%d unchanged).\n\n", same)
		return b.String()
	}
	counts := map[string]int{}
	for _, s := range changed {
		counts[s.Op]++
	}
	var ops []string
	for op := range counts {
		ops = append(ops, op)
	}
	sort.Slice(ops, func(i, j int) bool { return opOrder(ops[i]) < opOrder(ops[j]) })
	var parts []string
	for _, op := range ops {
		parts = append(parts, fmt.Sprintf("%d to %s", counts[op], op))
	}
	fmt.Fprintf(&b, "**%s**; %d unchanged.\n\n", strings.Join(parts, ", "), same)
	sort.SliceStable(changed, func(i, j int) bool {
		wi, wj := changed[i].Warning != "", changed[j].Warning != ""
		if wi != wj {
			return wi
		}
		if oi, oj := opOrder(changed[i].Op), opOrder(changed[j].Op); oi != oj {
			return oi < oj
		}
		return changed[i].URN < changed[j].URN
	})
	b.WriteString("| | Operation | Type | Name | Properties |\n| --- | --- | --- | --- | --- |\n")
	for i, s := range changed {
		if i == maxStepRows {
			fmt.Fprintf(&b, "\n_%d more step(s) are not listed; the workflow run's %s-%s.json has every one._\n", len(changed)-maxStepRows, r.Command, r.Stack)
			break
		}
		mark := ""
		if s.Warning != "" {
			mark = "⚠️"
		}
		props := strings.Join(s.Diffs, ", ")
		if len(s.ReplaceKeys) > 0 {
			props = "**" + strings.Join(s.ReplaceKeys, ", ") + "** (forces replacement)"
			if len(s.Diffs) > 0 {
				props += ", " + strings.Join(s.Diffs, ", ")
			}
		}
		note := ""
		if s.Protected && (s.Op == "delete" || s.Op == "replace") {
			note = "protected: `up` will stop here"
		} else if s.RetainOnDelete && (s.Op == "delete" || s.Op == "replace") {
			note = "retainOnDelete: the old one is kept"
		}
		if note != "" && props != "" {
			props += " · " + note
		} else if note != "" {
			props = note
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", mark, s.Op, code(s.Type), code(s.Name), escapeLine(props))
	}
	b.WriteString("\n")
	return b.String()
}

func opOrder(op string) int {
	for i, o := range []string{"replace", "delete", "create", "update", "import", "discard"} {
		if o == op {
			return i
		}
	}
	return 99
}

// noteText is a note CI wrote (why a part is missing, or its error), in a
// code block, cut to its last lines when long.
func noteText(note string) string {
	if len(note) > maxNote {
		cut := len(note) - maxNote
		for cut < len(note) && !utf8.RuneStart(note[cut]) {
			cut++
		}
		note = "…" + note[cut:]
	}
	if !strings.Contains(note, "\n") && !strings.Contains(note, "`") {
		return note + "\n\n"
	}
	f := fence(note)
	return "\n\n" + f + "\n" + note + "\n" + f + "\n\n"
}

// code is s as inline code that cannot break a table row.
func code(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.ReplaceAll(s, "`", "'")
	return "`" + strings.ReplaceAll(s, "|", `\|`) + "`"
}

// escapeLine keeps free text on one table row or list line.
func escapeLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.ReplaceAll(s, "|", `\|`)
}

// fence is a code fence longer than any run of backticks in s.
func fence(s string) string {
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}

func shortCommit(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}

// clipText cuts s to limit bytes at a rune boundary with a note; the last
// guard, used only when the sections' own truncation was not enough.
func clipText(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	const note = "\n\n_(cut to the comment size limit)_\n"
	cut := max(limit-len(note), 0)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + note[:min(len(note), limit)]
}
