package fluentconf_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/internal/pulumitest"

	"github.com/klearkarma/observability/components/fluentd/internal/fluentconf"
)

func TestParse(t *testing.T) {
	type testCase struct {
		text    string
		wantErr string
		check   func(t *testing.T, c fluentconf.Config)
	}
	cases := map[string]testCase{
		"comments, indentation and trailing comments are ignored": {
			text: "# top\n<source>\n    @type tail   # the tail plugin\n  path /a#b\n</source>  # done\n",
			check: func(t *testing.T, c fluentconf.Config) {
				require.Len(t, c.Sources, 1)
				assert.Equal(t, "tail", c.Sources[0].Type)
				assert.Equal(t, "/a#b", c.Sources[0].Params.Text("path"), "a '#' inside a word is not a comment")
			},
		},
		"quoted values keep their spaces and lose their escapes": {
			text: "<match x.**>\n  @type stdout\n  format \"a # b \\\"c\\\"\"\n  other 'it\\'s'\n</match>\n",
			check: func(t *testing.T, c fluentconf.Config) {
				p := c.Steps[0].Match.Params
				assert.Equal(t, `a # b "c"`, p.Text("format"))
				assert.Equal(t, `it's`, p.Text("other"))
			},
		},
		"labels hold their own chain": {
			text: "<label @ERROR>\n  <filter **>\n    @type grep\n  </filter>\n  <match **>\n    @type null\n  </match>\n</label>\n",
			check: func(t *testing.T, c fluentconf.Config) {
				require.Len(t, c.Labels, 1)
				assert.Equal(t, "@ERROR", c.Labels[0].Name)
				require.Len(t, c.Labels[0].Steps, 2)
				assert.Equal(t, "grep", c.Labels[0].Steps[0].Filter.Type)
				assert.Equal(t, "null", c.Labels[0].Steps[1].Match.Type)
			},
		},
		"an unclosed directive fails with its line":         {text: "<source>\n  @type tail\n", wantErr: "line 1: <source> is never closed"},
		"a mismatched end tag fails with its line":          {text: "<source>\n  @type tail\n</match>\n", wantErr: "line 3: </match> does not close <source>"},
		"@include is refused":                               {text: "@include other.conf\n", wantErr: "@include is not supported"},
		"a parameter outside a directive is refused":        {text: "log_level info\n", wantErr: `parameter "log_level" outside a directive`},
		"an unterminated quoted value is refused":           {text: "<source>\n  @type \"tail\n</source>\n", wantErr: "line 2: @type: unterminated quoted value"},
		"a source without a type is refused":                {text: "<source>\n  path /x\n</source>\n", wantErr: "<source> without @type"},
		"a worker directive is refused rather than dropped": {text: "<worker 0>\n</worker>\n", wantErr: "<worker> is not supported"},
		"a buffer number that is not a number is refused": {
			text:    "<match **>\n  @type null\n  <buffer>\n    flush_thread_count two\n  </buffer>\n</match>\n",
			wantErr: `flush_thread_count "two" is not an integer`,
		},
	}
	pulumitest.Cases(t, cases, func(t *testing.T, tc testCase) {
		c, err := fluentconf.Parse(tc.text)
		if tc.wantErr != "" {
			require.ErrorContains(t, err, tc.wantErr)
			return
		}
		require.NoError(t, err)
		tc.check(t, c)
	})
}

func TestLiteral(t *testing.T) {
	type testCase struct{ in, want string }
	cases := map[string]testCase{
		"plain text stays bare":                      {"/var/log/containers/*.log", "/var/log/containers/*.log"},
		"a '#' inside a word stays bare":             {"a#b", "a#b"},
		"a comment-looking '#' is quoted":            {"a #b", `"a #b"`},
		"bare embedded Ruby stays text":              {"#{ENV['X']}", "#{ENV['X']}"},
		"quoted embedded Ruby is escaped":            {"a #{ENV['X']}", `"a \#{ENV['X']}"`},
		"a leading quote or bracket is quoted":       {`[1]`, `"[1]"`},
		"surrounding spaces are quoted":              {" x ", `" x "`},
		"inner quotes and backslashes stay bare":     {`a "b" \c`, `a "b" \c`},
		"quotes are escaped once quoting is needed":  {`"a" #b`, `"\"a\" #b"`},
		"the empty string is an explicit empty text": {"", `""`},
	}
	pulumitest.Cases(t, cases, func(t *testing.T, tc testCase) {
		lit := fluentconf.Literal(tc.in)
		assert.Equal(t, tc.want, lit)
		back, err := fluentconf.Unquote(lit)
		require.NoError(t, err)
		assert.Equal(t, tc.in, back, "the literal reads back as the text")
	})
}

func TestRenderRefusesWhatWouldNotReadBack(t *testing.T) {
	cases := map[string]fluentconf.Param{
		"a raw value with a comment-looking '#'": fluentconf.Raw("path", "a #b"),
		"a raw value over two lines":             fluentconf.Raw("path", "a\nb"),
		"an unterminated quoted value":           fluentconf.Raw("path", `"a`),
		"a key with a space":                     fluentconf.Raw("bad key", "x"),
		"a JSON value that is not JSON":          fluentconf.Raw("exclude_path", "[a"),
	}
	pulumitest.Cases(t, cases, func(t *testing.T, p fluentconf.Param) {
		_, err := fluentconf.Render(fluentconf.Config{Sources: []fluentconf.Source{{Type: "tail", Params: fluentconf.Params{p}}}})
		require.Error(t, err)
	})
}
