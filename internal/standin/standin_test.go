package standin

import (
	"context"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/types/known/structpb"
)

const integrationURN = "urn:pulumi:dev::observability::pagerduty:index/serviceIntegration:ServiceIntegration::backend-events"

func props(t *testing.T, m resource.PropertyMap) *structpb.Struct {
	t.Helper()
	s, err := plugin.MarshalProperties(m, marshal)
	require.NoError(t, err)
	return s
}

func TestTheStandIn(t *testing.T) {
	p := New("pagerduty", "4.34.0")
	ctx := context.Background()
	secretIn := resource.PropertyMap{"service": resource.NewStringProperty("P1"), "type": resource.NewStringProperty("events_api_v2_inbound_integration"),
		"name": resource.MakeSecret(resource.NewStringProperty("hidden"))}

	t.Run("the same inputs, however marked, show no diff", func(t *testing.T) {
		plain := secretIn.Copy()
		plain["name"] = resource.NewStringProperty("hidden")
		res, err := p.Diff(ctx, &pulumirpc.DiffRequest{Urn: integrationURN, OldInputs: props(t, plain), News: props(t, secretIn)})
		require.NoError(t, err)
		assert.Equal(t, pulumirpc.DiffResponse_DIFF_NONE, res.Changes)
	})
	t.Run("a changed replace-on-change input asks for a replacement", func(t *testing.T) {
		news := secretIn.Copy()
		news["service"] = resource.NewStringProperty("P2")
		res, err := p.Diff(ctx, &pulumirpc.DiffRequest{Urn: integrationURN, OldInputs: props(t, secretIn), News: props(t, news)})
		require.NoError(t, err)
		assert.Equal(t, pulumirpc.DiffResponse_DIFF_SOME, res.Changes)
		assert.Equal(t, []string{"service"}, res.Replaces)
	})
	t.Run("a missing required input and a snake_case name fail the check", func(t *testing.T) {
		res, err := p.Check(ctx, &pulumirpc.CheckRequest{Urn: integrationURN, News: props(t, resource.PropertyMap{"integration_key": resource.NewStringProperty("x")})})
		require.NoError(t, err)
		var failed []string
		for _, f := range res.Failures {
			failed = append(failed, f.Property)
		}
		assert.ElementsMatch(t, []string{"integration_key", "service"}, failed)
	})
	t.Run("create echoes inputs, keeps secrets and adds a deterministic integration key", func(t *testing.T) {
		a, err := p.Create(ctx, &pulumirpc.CreateRequest{Urn: integrationURN, Properties: props(t, secretIn)})
		require.NoError(t, err)
		b, err := p.Create(ctx, &pulumirpc.CreateRequest{Urn: integrationURN, Properties: props(t, secretIn)})
		require.NoError(t, err)
		out, err := plugin.UnmarshalProperties(a.Properties, marshal)
		require.NoError(t, err)
		assert.True(t, out["name"].IsSecret())
		assert.NotEmpty(t, out["integrationKey"].StringValue())
		assert.Equal(t, a.Id, b.Id)
	})
}
