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
	}{
		"a resource without options gets the pinned version and no download URL": {wantVersion: "4.34.0"},
		"a caller's own version comes after the default and wins, as in the SDK": {
			resource:    []pulumi.ResourceOption{pulumi.Version("9.9.9")},
			invoke:      []pulumi.InvokeOption{pulumi.Version("9.9.9")},
			wantVersion: "9.9.9",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			ro, err := pulumi.NewResourceOptions(PkgResourceDefaultOpts(tc.resource)...)
			if err != nil {
				t.Fatal(err)
			}
			if ro.Version != tc.wantVersion || ro.PluginDownloadURL != "" {
				t.Errorf("resource options: version %q url %q, want %q and none", ro.Version, ro.PluginDownloadURL, tc.wantVersion)
			}
			io, err := pulumi.NewInvokeOptions(PkgInvokeDefaultOpts(tc.invoke)...)
			if err != nil {
				t.Fatal(err)
			}
			if io.Version != tc.wantVersion || io.PluginDownloadURL != "" {
				t.Errorf("invoke options: version %q url %q, want %q and none", io.Version, io.PluginDownloadURL, tc.wantVersion)
			}
		})
	}
}
