package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/internal/pins"
)

func TestPick(t *testing.T) {
	all := pins.Servers()
	cases := map[string]struct {
		only    string
		want    []string
		wantErr string
	}{
		"no -only builds every server":              {only: "", want: []string{"prometheus", "alertmanager", "blackbox_exporter", "otelcol-kk", "thanos", "jaeger"}},
		"-only keeps build order, not the flag's":   {only: "thanos, prometheus", want: []string{"prometheus", "thanos"}},
		"an unknown name fails and lists the known": {only: "grafana", wantErr: `no server "grafana"; known: prometheus, alertmanager, blackbox_exporter`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := pick(all, tc.only)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			var names []string
			for _, s := range got {
				names = append(names, s.Name)
			}
			require.Equal(t, tc.want, names)
		})
	}
}
