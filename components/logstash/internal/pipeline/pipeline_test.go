package pipeline_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/internal/pulumitest"

	"github.com/klearkarma/observability/components/logstash/internal/pipeline"
)

func TestParse(t *testing.T) {
	type testCase struct {
		text    string
		wantErr string
		check   func(t *testing.T, p pipeline.Config)
	}
	cases := map[string]testCase{
		"comments, single quotes, hashes and else-if chains read back": {
			text: "# c\ninput { stdin { codec => json } }\nfilter {\n  if [a] == 'x' { drop {} } else if [b] { mutate { add_field => { 'k' => \"v\" } } } else { drop { } }\n}\n",
			check: func(t *testing.T, p pipeline.Config) {
				assert.Equal(t, pipeline.Bareword("json"), p.Inputs[0].Plugin.Settings[0].Value)
				c := p.Filters[0].If
				require.Len(t, c.Branches, 2)
				assert.Equal(t, pipeline.Condition{Left: pipeline.Field("b")}, c.Branches[1].When)
				assert.Equal(t, pipeline.Hash{{Key: "k", Value: pipeline.String("v")}}, c.Branches[1].Then[0].Plugin.Settings[0].Value)
				require.Len(t, c.Else, 1)
			},
		},
		"an unknown section is refused":              {text: "inputs { }", wantErr: `unknown section "inputs"`},
		"a missing brace is refused with its line":   {text: "input {\n  beats {\n    port => 5044\n", wantErr: "line 4"},
		"a compound condition is refused":            {text: "filter { if [a] == \"x\" and [b] { } }", wantErr: "unsupported condition"},
		"a setting without => is refused":            {text: "input { beats { port 5044 } }", wantErr: `expected "=>"`},
		"an unterminated string is refused":          {text: "input { beats { host => \"x } }", wantErr: "unterminated string"},
		"an unterminated regular expression refused": {text: "filter { if [a] =~ /x { } }", wantErr: "unterminated regular expression"},
	}
	pulumitest.Cases(t, cases, func(t *testing.T, tc testCase) {
		p, err := pipeline.Parse(tc.text)
		if tc.wantErr != "" {
			require.ErrorContains(t, err, tc.wantErr)
			return
		}
		require.NoError(t, err)
		tc.check(t, p)
	})
}

func TestRenderRefusesWhatLogstashWouldMisread(t *testing.T) {
	plugin := func(v pipeline.Value) pipeline.Config {
		return pipeline.Config{Inputs: []pipeline.Stage{{Plugin: &pipeline.Plugin{Name: "beats", Settings: []pipeline.Setting{{Name: "x", Value: v}}}}}}
	}
	cases := map[string]pipeline.Config{
		"a string with a double quote":  plugin(pipeline.String(`a"b`)),
		"a string with a backslash":     plugin(pipeline.String(`a\b`)),
		"a number that is not a number": plugin(pipeline.Number("5O44")),
		"a bareword with a space":       plugin(pipeline.Bareword("a b")),
		"a regexp operator on a string": {Filters: []pipeline.Stage{{If: &pipeline.If{Branches: []pipeline.Branch{{
			When: pipeline.Condition{Left: pipeline.Field("a"), Op: "=~", Right: pipeline.Str("x")},
		}}}}}},
		"a malformed field reference": {Filters: []pipeline.Stage{{If: &pipeline.If{Branches: []pipeline.Branch{{
			When: pipeline.Condition{Left: pipeline.Operand{Kind: pipeline.FieldRef, Value: "a.b"}},
		}}}}}},
		"a stage that is both plugin and conditional": {Filters: []pipeline.Stage{{Plugin: &pipeline.Plugin{Name: "drop"}, If: &pipeline.If{}}}},
	}
	pulumitest.Cases(t, cases, func(t *testing.T, p pipeline.Config) {
		_, err := pipeline.Render(p)
		require.Error(t, err)
	})
}
