package manifestdiff

import (
	"fmt"
	"html"
	"strings"
	"unicode/utf8"
)

// Defaults for Markdown. GitHub refuses comments over 65536 characters; the
// default leaves room for a caller's own header and footer.
const (
	DefaultMaxChars     = 60000
	DefaultMaxDiffLines = 200
)

// MarkdownOption tunes Report.Markdown.
type MarkdownOption func(*markdownConfig)

type markdownConfig struct {
	maxChars, maxDiffLines int
}

// MaxChars bounds the whole Markdown (in bytes, which is never fewer than
// GitHub's characters). Diffs that do not fit are left out with a note, then
// table rows; n <= 0 means no limit.
func MaxChars(n int) MarkdownOption { return func(c *markdownConfig) { c.maxChars = n } }

// MaxDiffLines cuts each object's diff after n lines with a note saying how
// many were left out; n <= 0 means no limit.
func MaxDiffLines(n int) MarkdownOption { return func(c *markdownConfig) { c.maxDiffLines = n } }

// footerReserve is kept free of diffs so the closing notes always fit.
const footerReserve = 400

// Markdown renders the report as a PR comment: a heading with the title, the
// counts, a table of the objects that differ (namespace, kind, name,
// change), then one collapsed <details> per added or changed object with its
// diff. Removed objects are listed in the table only. Secret values never
// appear: a Secret's section lists its keys as added/changed/removed.
func (r Report) Markdown(title string, opts ...MarkdownOption) string {
	cfg := markdownConfig{maxChars: DefaultMaxChars, maxDiffLines: DefaultMaxDiffLines}
	for _, o := range opts {
		o(&cfg)
	}
	limit := cfg.maxChars
	if limit <= 0 {
		limit = int(^uint(0) >> 1)
	}

	var head strings.Builder
	if title != "" {
		fmt.Fprintf(&head, "### %s\n\n", oneLine(title))
	}
	s := r.Summary
	if s.Total() == 0 {
		fmt.Fprintf(&head, "No Kubernetes object differs (%s unchanged).\n", plural(s.Unchanged, "object"))
	} else {
		fmt.Fprintf(&head, "**%s differ**: %d added, %d changed, %d removed; %d unchanged.\n",
			plural(s.Total(), "object"), s.Added, s.Changed, s.Removed, s.Unchanged)
	}
	if r.BaseMissing {
		head.WriteString("\n> The base has no render of this stack (a new stack): every object is added.\n")
	}
	if r.HeadMissing {
		head.WriteString("\n> The head has no render of this stack (a removed stack): every object is removed.\n")
	}
	out := head.String()
	if s.Total() == 0 {
		return clip(out, limit)
	}

	// The table: every row if it fits, else as many as fit with a note.
	var table strings.Builder
	table.WriteString("\n| Namespace | Kind | Name | Change |\n| --- | --- | --- | --- |\n")
	rowsShown := 0
	for _, c := range r.Objects {
		row := fmt.Sprintf("| %s | %s | %s | %s |\n", nsCell(c.Namespace), cell(c.Kind+" ("+c.APIVersion+")"), "`"+cell(c.Name)+"`", changeCell(c))
		if len(out)+table.Len()+len(row) > limit-footerReserve {
			break
		}
		table.WriteString(row)
		rowsShown++
	}
	out += table.String()
	if rowsShown < len(r.Objects) {
		out += fmt.Sprintf("\n_%d more object(s) are not listed to keep this comment under %d characters._\n", len(r.Objects)-rowsShown, cfg.maxChars)
		return clip(out, limit)
	}

	var body strings.Builder
	omitted := 0
	for _, c := range r.Objects {
		if c.Change == Removed {
			continue
		}
		sec := details(c, cfg.maxDiffLines)
		if len(out)+body.Len()+len(sec) > limit-footerReserve {
			omitted++
			continue
		}
		body.WriteString(sec)
	}
	if body.Len() > 0 {
		out += "\n" + body.String()
	}
	if omitted > 0 {
		out += fmt.Sprintf("\n_The diffs of %d object(s) are left out to keep this comment under %d characters; render both revisions and diff them locally to see them._\n", omitted, cfg.maxChars)
	}
	return clip(out, limit)
}

func details(c ObjectChange, maxLines int) string {
	var sb strings.Builder
	path := c.Name
	if c.Namespace != "" {
		path = c.Namespace + "/" + c.Name
	}
	counts := ""
	if c.Diff != "" {
		counts = fmt.Sprintf(": +%d -%d", c.LinesAdded, c.LinesRemoved)
	}
	fmt.Fprintf(&sb, "<details><summary>%s <code>%s</code> (%s %s)%s</summary>\n\n",
		c.Change, html.EscapeString(path), html.EscapeString(c.Kind), html.EscapeString(c.APIVersion), counts)
	if len(c.SecretKeys) > 0 {
		sb.WriteString("Secret values are never shown; by key:\n\n")
		for _, k := range c.SecretKeys {
			switch k.Field {
			case "data":
				fmt.Fprintf(&sb, "- key `%s`: %s\n", cell(k.Key), k.Change)
			default:
				fmt.Fprintf(&sb, "- %s key `%s`: %s\n", k.Field, cell(k.Key), k.Change)
			}
		}
		sb.WriteString("\n")
	}
	if c.Diff != "" {
		diff := c.Diff
		note := ""
		if maxLines > 0 {
			ls := strings.SplitAfter(strings.TrimSuffix(diff, "\n"), "\n")
			if len(ls) > maxLines {
				diff = strings.Join(ls[:maxLines], "")
				if !strings.HasSuffix(diff, "\n") {
					diff += "\n"
				}
				note = fmt.Sprintf("_Diff cut after %d of %d lines._\n\n", maxLines, len(ls))
			} else {
				diff = strings.Join(ls, "") + "\n"
			}
		}
		fence := fenceFor(diff)
		fmt.Fprintf(&sb, "%sdiff\n%s%s\n\n%s", fence, diff, fence, note)
	}
	sb.WriteString("</details>\n\n")
	return sb.String()
}

// fenceFor is a code fence longer than any run of backticks in s, so an
// embedded file holding ``` cannot close the block early.
func fenceFor(s string) string {
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

func changeCell(c ObjectChange) string {
	switch c.Change {
	case Changed:
		keys := plural(len(c.SecretKeys), "Secret value")
		switch {
		case c.Diff == "":
			return "changed (" + keys + ")"
		case len(c.SecretKeys) > 0:
			return fmt.Sprintf("changed (+%d -%d, %s)", c.LinesAdded, c.LinesRemoved, keys)
		}
		return fmt.Sprintf("changed (+%d -%d)", c.LinesAdded, c.LinesRemoved)
	default:
		return string(c.Change)
	}
}

func nsCell(ns string) string {
	if ns == "" {
		return "_(cluster)_"
	}
	return "`" + cell(ns) + "`"
}

// cell keeps a value from breaking a table row or a code span.
func cell(s string) string {
	s = oneLine(s)
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "`", "'")
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// clip is the last guard for tiny limits: cut at a rune boundary.
func clip(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	const note = "\n\n_(cut to the size limit)_\n"
	cut := limit - len(note)
	if cut < 0 {
		cut = 0
	}
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + note[:min(len(note), limit)]
}
