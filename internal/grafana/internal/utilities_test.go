package internal

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func TestDefaultOptions(t *testing.T) {
	cases := map[string]struct {
		resource    []pulumi.ResourceOption
		invoke      []pulumi.InvokeOption
		wantVersion string
		wantURL     string
	}{
		"a resource without options gets the pinned version and the pulumiverse download URL": {
			wantVersion: "2.38.0", wantURL: "github://api.github.com/pulumiverse",
		},
		"a caller's own version comes after the defaults and wins, as in the SDK": {
			resource:    []pulumi.ResourceOption{pulumi.Version("9.9.9")},
			invoke:      []pulumi.InvokeOption{pulumi.Version("9.9.9")},
			wantVersion: "9.9.9", wantURL: "github://api.github.com/pulumiverse",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			ro, err := pulumi.NewResourceOptions(PkgResourceDefaultOpts(tc.resource)...)
			if err != nil {
				t.Fatal(err)
			}
			if ro.Version != tc.wantVersion || ro.PluginDownloadURL != tc.wantURL {
				t.Errorf("resource options: version %q url %q, want %q %q", ro.Version, ro.PluginDownloadURL, tc.wantVersion, tc.wantURL)
			}
			io, err := pulumi.NewInvokeOptions(PkgInvokeDefaultOpts(tc.invoke)...)
			if err != nil {
				t.Fatal(err)
			}
			if io.Version != tc.wantVersion || io.PluginDownloadURL != tc.wantURL {
				t.Errorf("invoke options: version %q url %q, want %q %q", io.Version, io.PluginDownloadURL, tc.wantVersion, tc.wantURL)
			}
		})
	}
}

func TestGetEnvOrDefault(t *testing.T) {
	t.Setenv("GRAFANA_TEST_SET", "true")
	t.Setenv("GRAFANA_TEST_BAD", "maybe")
	cases := map[string]struct {
		parser envParser
		vars   []string
		want   any
	}{
		"an unset variable gives the default":                     {vars: []string{"GRAFANA_TEST_UNSET"}, want: nil},
		"a set variable is returned as a string":                  {vars: []string{"GRAFANA_TEST_SET"}, want: "true"},
		"a set variable is parsed when a parser is given":         {parser: ParseEnvBool, vars: []string{"GRAFANA_TEST_SET"}, want: true},
		"an unparsable value gives nil, so the input stays unset": {parser: ParseEnvBool, vars: []string{"GRAFANA_TEST_BAD"}, want: nil},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := GetEnvOrDefault(nil, tc.parser, tc.vars...); got != tc.want {
				t.Errorf("got %#v, want %#v", got, tc.want)
			}
		})
	}
}
