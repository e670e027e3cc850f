package workload_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"

	"github.com/klearkarma/observability/internal/workload"
)

func TestResourcesDefaultTheEphemeralStorage(t *testing.T) {
	cases := map[string]struct {
		in           workload.Resources
		wantRequests pulumi.StringMap
		wantLimits   pulumi.StringMap
	}{
		"a container that sets none gets the default request and limit, and no CPU or memory it did not ask for": {
			in:           workload.Resources{RequestsMemory: "64Mi"},
			wantRequests: pulumi.StringMap{"memory": pulumi.String("64Mi"), "ephemeral-storage": pulumi.String(workload.DefaultEphemeralRequest)},
			wantLimits:   pulumi.StringMap{"ephemeral-storage": pulumi.String(workload.DefaultEphemeralLimit)},
		},
		"a container's own values win": {
			in:           workload.Resources{RequestsEphemeralStorage: "1Gi", LimitsEphemeralStorage: "4Gi"},
			wantRequests: pulumi.StringMap{"ephemeral-storage": pulumi.String("1Gi")},
			wantLimits:   pulumi.StringMap{"ephemeral-storage": pulumi.String("4Gi")},
		},
		"a request above the default limit becomes the limit, which the API server would otherwise refuse": {
			in:           workload.Resources{RequestsEphemeralStorage: "2Gi"},
			wantRequests: pulumi.StringMap{"ephemeral-storage": pulumi.String("2Gi")},
			wantLimits:   pulumi.StringMap{"ephemeral-storage": pulumi.String("2Gi")},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := tc.in.Args()
			assert.Equal(t, tc.wantRequests, got.Requests)
			assert.Equal(t, tc.wantLimits, got.Limits)
		})
	}
}
