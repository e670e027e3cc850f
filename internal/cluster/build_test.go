package cluster

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/mod/modfile"

	"github.com/klearkarma/observability/internal/pins"
)

// upstreamKubeGoMod is the shape of k8s.io/kubernetes' go.mod: staging
// modules required at v0.0.0 and replaced with ./staging paths, plus one
// staging module that is replaced but not required.
const upstreamKubeGoMod = `module k8s.io/kubernetes

go 1.26.0

require (
	github.com/spf13/cobra v1.10.0
	k8s.io/api v0.0.0
	k8s.io/apiserver v0.0.0
	k8s.io/kubectl v0.0.0
)

replace (
	k8s.io/api => ./staging/src/k8s.io/api
	k8s.io/apiserver => ./staging/src/k8s.io/apiserver
	k8s.io/kubectl => ./staging/src/k8s.io/kubectl
	k8s.io/sample-controller => ./staging/src/k8s.io/sample-controller
)
`

func TestKubeWrapperGoMod(t *testing.T) {
	out, err := kubeWrapperGoMod([]byte(upstreamKubeGoMod), "1.37.2", "0.8.0")
	require.NoError(t, err)
	f, err := modfile.Parse("go.mod", out, nil)
	require.NoError(t, err)

	t.Run("requires kubernetes and kwok at the pinned versions", func(t *testing.T) {
		got := map[string]string{}
		for _, r := range f.Require {
			got[r.Mod.Path] = r.Mod.Version
		}
		assert.Equal(t, map[string]string{"k8s.io/kubernetes": "v1.37.2", "sigs.k8s.io/kwok": "v0.8.0"}, got)
		assert.Equal(t, "1.26.0", f.Go.Version, "the go version is kubernetes' own")
	})
	t.Run("replaces every required staging module with its published v0 version", func(t *testing.T) {
		got := map[string]string{}
		for _, r := range f.Replace {
			assert.Equal(t, r.Old.Path, r.New.Path, "a staging module is replaced by itself at a version, not a path")
			got[r.Old.Path] = r.New.Version
		}
		assert.Equal(t, map[string]string{"k8s.io/api": "v0.37.2", "k8s.io/apiserver": "v0.37.2", "k8s.io/kubectl": "v0.37.2"}, got)
	})
	t.Run("leaves out staging modules kubernetes does not require", func(t *testing.T) {
		assert.NotContains(t, string(out), "sample-controller")
	})
	t.Run("declares the three commands and kwok as tools", func(t *testing.T) {
		var tools []string
		for _, tl := range f.Tool {
			tools = append(tools, tl.Path)
		}
		assert.Equal(t, []string{"k8s.io/kubernetes/cmd/kube-apiserver", "k8s.io/kubernetes/cmd/kube-controller-manager", "k8s.io/kubernetes/cmd/kube-scheduler", "sigs.k8s.io/kwok/cmd/kwok"}, tools)
	})
}

func TestKubeWrapperGoModRefusals(t *testing.T) {
	cases := map[string]struct {
		goMod, version, want string
	}{
		"a go.mod without staging replaces means the recipe no longer fits": {
			goMod: "module k8s.io/kubernetes\n\ngo 1.26.0\n", version: "1.37.2", want: "replaces no staging module",
		},
		"a version that is not 1.x.y has no staging counterpart": {
			goMod: upstreamKubeGoMod, version: "2.0.0", want: "want 1.<minor>.<patch>",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := kubeWrapperGoMod([]byte(tc.goMod), tc.version, "0.8.0")
			require.ErrorContains(t, err, tc.want)
		})
	}
}

func TestEtcdWrapperGoModRequiresTheServerAndItsSiblingsAtOneVersion(t *testing.T) {
	out, err := etcdWrapperGoMod("3.7.3")
	require.NoError(t, err)
	f, err := modfile.Parse("go.mod", out, nil)
	require.NoError(t, err)
	for _, r := range f.Require {
		assert.Equal(t, "v3.7.3", r.Mod.Version, r.Mod.Path)
	}
	assert.Len(t, f.Require, 5)
	require.Len(t, f.Tool, 1)
	assert.Equal(t, "go.etcd.io/etcd/server/v3", f.Tool[0].Path)
}

func TestKubeLdflagsStampTheVersionForServerAndClientLibraries(t *testing.T) {
	got, err := kubeLdflags("1.37.2")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(got, "-s -w "), "binaries are stripped: %s", got)
	for _, p := range []string{"k8s.io/component-base/version", "k8s.io/client-go/pkg/version"} {
		assert.Contains(t, got, "-X "+p+".gitVersion=v1.37.2")
		assert.Contains(t, got, "-X "+p+".gitMajor=1")
		assert.Contains(t, got, "-X "+p+".gitMinor=37")
	}
	_, err = kubeLdflags("1.37")
	assert.Error(t, err)
}

func TestToolsDirNameCarriesEveryPinnedVersion(t *testing.T) {
	name := ToolsDirName()
	for _, v := range []string{pins.KubernetesControlPlane, pins.Etcd, pins.Kwok} {
		assert.Contains(t, name, "v"+v)
	}
}

func TestToolsCache(t *testing.T) {
	cases := map[string]struct {
		env  map[string]string
		want string
	}{
		"KK_TOOLS_CACHE wins": {
			env: map[string]string{"KK_TOOLS_CACHE": "/x/tools", "XDG_CACHE_HOME": "/y"}, want: "/x/tools",
		},
		"else XDG_CACHE_HOME": {
			env: map[string]string{"KK_TOOLS_CACHE": "", "XDG_CACHE_HOME": "/y"}, want: "/y/klearkarma-observability/tools",
		},
		"else ~/.cache": {
			env: map[string]string{"KK_TOOLS_CACHE": "", "XDG_CACHE_HOME": "", "HOME": "/home/u"}, want: "/home/u/.cache/klearkarma-observability/tools",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			got, err := ToolsCache()
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestCheckBinDirNamesWhatIsMissingAndTheFix(t *testing.T) {
	dir := t.TempDir()
	for _, f := range binFiles {
		if f != binKwok && f != kwokStagesFile {
			require.NoError(t, os.WriteFile(filepath.Join(dir, f), nil, 0o755))
		}
	}
	err := CheckBinDir(dir)
	require.ErrorContains(t, err, "missing kwok, kwok-stages.yaml")
	require.ErrorContains(t, err, "go run ./cmd/cluster build")
	require.NoError(t, os.WriteFile(filepath.Join(dir, binKwok), nil, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, kwokStagesFile), nil, 0o644))
	assert.NoError(t, CheckBinDir(dir))
}

func TestBuildReturnsAtOnceWhenTheBinariesAreCached(t *testing.T) {
	cache := t.TempDir()
	bin := filepath.Join(cache, ToolsDirName(), "bin")
	require.NoError(t, os.MkdirAll(bin, 0o755))
	for _, f := range binFiles {
		require.NoError(t, os.WriteFile(filepath.Join(bin, f), nil, 0o755))
	}
	// No go command is run: an empty PATH would make any build fail.
	t.Setenv("PATH", "")
	got, err := Build(t.Context(), BuildOptions{CacheDir: cache})
	require.NoError(t, err)
	assert.Equal(t, bin, got)
}
