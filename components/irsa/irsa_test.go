package irsa_test

import (
	"encoding/json"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/irsa"
	"github.com/klearkarma/observability/internal/pulumitest"
)

const (
	provider = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"
	issuer   = "https://oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"
)

func validArgs() irsa.Args {
	return irsa.Args{
		OIDCProviderArn: provider, OIDCIssuerURL: issuer, RoleName: "klearkarma-prod-metrics-storage",
		Description: "Thanos blocks",
		ServiceAccounts: []irsa.ServiceAccount{
			{Namespace: "monitoring", Name: "thanos"}, {Namespace: "monitoring", Name: "prometheus"},
		},
		Policies: map[string]pulumi.StringInput{"metrics-bucket": pulumi.String("arn:aws:iam::123456789012:policy/metrics")},
	}
}

// trust parses the recorded role's trust policy back.
func trust(t *testing.T, rec *pulumitest.Recorder) irsa.PolicyDocument {
	t.Helper()
	role := rec.Object(t, "aws:iam/role:Role::metrics-role-role")
	var doc irsa.PolicyDocument
	require.NoError(t, json.Unmarshal([]byte(role["assumeRolePolicy"].(string)), &doc))
	return doc
}

func TestTheRoleTrustsExactlyItsServiceAccounts(t *testing.T) {
	rec, err := pulumitest.Run(func(ctx *pulumi.Context) error {
		_, err := irsa.New(ctx, "metrics-role", validArgs())
		return err
	})
	require.NoError(t, err)

	role := rec.Object(t, "aws:iam/role:Role::metrics-role-role")
	assert.Equal(t, "klearkarma-prod-metrics-storage", role["name"], "a fixed name: the service accounts carry the ARN before the role exists")
	doc := trust(t, rec)
	require.Len(t, doc.Statement, 1, "one statement: nothing else may assume the role")
	s := doc.Statement[0]
	assert.Equal(t, "Allow", s.Effect)
	assert.Equal(t, map[string]string{"Federated": provider}, s.Principal, "only the cluster's OIDC provider federates")
	assert.Equal(t, []string{"sts:AssumeRoleWithWebIdentity"}, s.Action)
	require.Equal(t, []string{"StringEquals"}, keys(s.Condition), "exact matches only: no StringLike wildcard on the subject")
	eq := s.Condition["StringEquals"]
	host := "oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"
	assert.Equal(t, []string{"sts.amazonaws.com"}, eq[host+":aud"], "only tokens minted for STS")
	assert.Equal(t, []string{"system:serviceaccount:monitoring:prometheus", "system:serviceaccount:monitoring:thanos"}, eq[host+":sub"])
	assert.Len(t, eq, 2, "aud and sub, nothing looser")

	assert.Equal(t, 1, rec.CountType("aws:iam/rolePolicyAttachment:RolePolicyAttachment"))
	att := rec.Object(t, "aws:iam/rolePolicyAttachment:RolePolicyAttachment::metrics-role-metrics-bucket")
	assert.Equal(t, "klearkarma-prod-metrics-storage", att["role"])
	assert.Equal(t, "arn:aws:iam::123456789012:policy/metrics", att["policyArn"])
}

func TestTheRoleArnIsKnownBeforeTheRoleExists(t *testing.T) {
	assert.Equal(t, "arn:aws:iam::123456789012:role/klearkarma-prod-metrics-storage", irsa.RoleArn(provider, "klearkarma-prod-metrics-storage"))
	assert.Equal(t, "arn:aws-cn:iam::123456789012:role/r",
		irsa.RoleArn("arn:aws-cn:iam::123456789012:oidc-provider/oidc.eks.cn-north-1.amazonaws.com.cn/id/X", "r"), "the provider's partition")
	assert.Empty(t, irsa.RoleArn("not-an-arn", "r"))
}

func TestBadTrustSettingsAreRefusedBeforeAnythingIsRegistered(t *testing.T) {
	type badCase struct {
		edit      func(a *irsa.Args)
		field, in string // the problem's field, and a word of its problem or fix
	}
	cases := map[string]badCase{
		"a provider ARN that is not one": {
			edit: func(a *irsa.Args) { a.OIDCProviderArn = "arn:aws:iam::123456789012:role/x" }, field: "oidcProviderArn", in: "oidc-provider/",
		},
		"an issuer that is not https": {
			edit: func(a *irsa.Args) { a.OIDCIssuerURL = "oidc.eks.us-east-1.amazonaws.com/id/X" }, field: "oidcIssuerUrl", in: "describe-cluster",
		},
		"an issuer of another cluster than the provider's": {
			edit: func(a *irsa.Args) { a.OIDCIssuerURL = "https://oidc.eks.us-east-1.amazonaws.com/id/OTHER" }, field: "oidcIssuerUrl", in: "same cluster",
		},
		"a role name IAM refuses": {
			edit: func(a *irsa.Args) { a.RoleName = "has space" }, field: "roleName", in: "64",
		},
		"no service account": {
			edit: func(a *irsa.Args) { a.ServiceAccounts = nil }, field: "serviceAccounts", in: "service accounts",
		},
		"a service account listed twice": {
			edit: func(a *irsa.Args) { a.ServiceAccounts = append(a.ServiceAccounts, a.ServiceAccounts[0]) }, field: "serviceAccounts[2]", in: "once",
		},
		"a namespace that is not a DNS label": {
			edit:  func(a *irsa.Args) { a.ServiceAccounts[0].Namespace = "Monitoring" },
			field: "serviceAccounts[0].namespace", in: "DNS-1123",
		},
	}
	pulumitest.Cases(t, cases, func(t *testing.T, tc badCase) {
		args := validArgs()
		tc.edit(&args)
		ps := args.Check()
		require.NotEmpty(t, ps)
		assert.Equal(t, tc.field, ps[0].Field)
		assert.Contains(t, ps[0].Fix+ps[0].Problem, tc.in)
		rec, err := pulumitest.Run(func(ctx *pulumi.Context) error {
			_, err := irsa.New(ctx, "metrics-role", args)
			return err
		})
		require.ErrorContains(t, err, tc.field)
		assert.Empty(t, rec.Keys())
	})
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
