package program_test

import (
	"encoding/json"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	"github.com/klearkarma/observability/components/irsa"
	"github.com/klearkarma/observability/internal/pulumitest"
	"github.com/klearkarma/observability/program"
	"github.com/klearkarma/observability/stacks"
)

// prodIssuer is the issuer host of Pulumi.prod.yaml's OIDC provider.
const prodIssuer = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"

func TestProdsBucketWritersAssumeRolesTrustedByExactlyThem(t *testing.T) {
	rec, err := runStack(t, "prod")
	require.NoError(t, err)

	type roleCase struct {
		key, name, policy string
		subjects          []string
		annotated         []string // service accounts carrying the role's ARN
	}
	cases := map[string]roleCase{
		"the metrics role is Thanos' and the Prometheus sidecars', and holds the metrics bucket's policy": {
			key: "metrics-storage-role", name: "klearkarma-prod-metrics-storage", policy: "metrics-bucket",
			subjects:  []string{"system:serviceaccount:monitoring:prometheus", "system:serviceaccount:monitoring:thanos"},
			annotated: []string{"kubernetes:core/v1:ServiceAccount::thanos-serviceaccount", "kubernetes:core/v1:ServiceAccount::prometheus-serviceaccount"},
		},
		"the snapshot role is the Elasticsearch nodes' alone, and holds the snapshot bucket's policy": {
			key: "log-snapshots-role", name: "klearkarma-prod-log-snapshots", policy: "log-snapshots-bucket",
			subjects: []string{"system:serviceaccount:logging:elasticsearch"},
		},
	}
	pulumitest.Cases(t, cases, func(t *testing.T, tc roleCase) {
		role := rec.Object(t, "aws:iam/role:Role::"+tc.key+"-role")
		assert.Equal(t, tc.name, role["name"])
		var doc irsa.PolicyDocument
		require.NoError(t, json.Unmarshal([]byte(role["assumeRolePolicy"].(string)), &doc))
		require.Len(t, doc.Statement, 1)
		s := doc.Statement[0]
		assert.Equal(t, []string{"sts:AssumeRoleWithWebIdentity"}, s.Action)
		assert.Equal(t, "arn:aws:iam::123456789012:oidc-provider/"+prodIssuer, s.Principal["Federated"])
		assert.Equal(t, map[string]map[string][]string{"StringEquals": {
			prodIssuer + ":aud": {"sts.amazonaws.com"},
			prodIssuer + ":sub": tc.subjects,
		}}, s.Condition)

		att := rec.Object(t, "aws:iam/rolePolicyAttachment:RolePolicyAttachment::"+tc.key+"-"+tc.policy)
		assert.Equal(t, tc.name, att["role"])
		for _, sa := range tc.annotated {
			assert.Equal(t, "arn:aws:iam::123456789012:role/"+tc.name,
				pulumitest.Dig(t, rec.Object(t, sa), "metadata", "annotations", irsa.RoleArnAnnotation), sa)
		}
	})

	t.Run("the Elasticsearch nodes exchange their own token for the snapshot role", func(t *testing.T) {
		sts := rec.Object(t, "kubernetes:apps/v1:StatefulSet::elasticsearch-statefulset")
		env := map[string]any{}
		for _, c := range pulumitest.Dig(t, sts, "spec", "template", "spec", "containers").([]any) {
			for _, e := range c.(map[string]any)["env"].([]any) {
				e := e.(map[string]any)
				env[e["name"].(string)] = e["value"]
			}
		}
		assert.Equal(t, "arn:aws:iam::123456789012:role/klearkarma-prod-log-snapshots", env["AWS_ROLE_ARN"])
	})

	t.Run("no bucket attaches its policy itself: the roles hold them", func(t *testing.T) {
		assert.False(t, rec.Has("aws:iam/rolePolicyAttachment:RolePolicyAttachment::metrics-bucket-access-attachment"))
		assert.False(t, rec.Has("aws:iam/rolePolicyAttachment:RolePolicyAttachment::log-snapshots-bucket-access-attachment"))
	})
}

func TestTheBucketsKeepTheirDataAsTheStrategyDemands(t *testing.T) {
	rec, err := runStack(t, "prod")
	require.NoError(t, err)

	lock := rec.Object(t, "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2::log-snapshots-bucket-object-lock")
	assert.Equal(t, map[string]any{"mode": "COMPLIANCE", "days": 2557.0}, pulumitest.Dig(t, lock, "rule", "defaultRetention"),
		"audit snapshots are locked for retention.logs.audit (7 years)")

	snap := rec.Object(t, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2::log-snapshots-bucket-lifecycle")["rules"].([]any)[0].(map[string]any)
	assert.Equal(t, []any{map[string]any{"days": 90.0, "storageClass": "GLACIER_IR"}}, snap["transitions"])
	assert.Nil(t, snap["expiration"], "SLM, not S3, expires snapshots")

	metrics := rec.Object(t, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2::metrics-bucket-lifecycle")["rules"].([]any)[0].(map[string]any)
	assert.Equal(t, 1825.0, pulumitest.Dig(t, metrics, "expiration", "days"), "retention.metrics.aggregated (5 years)")
	assert.False(t, rec.Has("aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2::metrics-bucket-object-lock"),
		"the compactor must be able to delete and rewrite blocks")
}

func TestDevsNodeRoleHoldsThePoliciesAndNoRoleIsCreated(t *testing.T) {
	rec, err := runStack(t, "dev")
	require.NoError(t, err)
	assert.False(t, rec.Has("aws:iam/role:Role::metrics-storage-role-role"))
	assert.False(t, rec.Has("aws:iam/role:Role::log-snapshots-role-role"))
	sa := rec.Object(t, "kubernetes:core/v1:ServiceAccount::thanos-serviceaccount")
	assert.Empty(t, sa["metadata"].(map[string]any)["annotations"])
}

func TestARebuiltProdAdoptsItsRetainedBucketsInsteadOfMakingNewOnes(t *testing.T) {
	const metrics, snapshots = "klearkarma-prod-metrics-20261101000000000000000001", "klearkarma-prod-log-snapshots-20261101000000000000000002"
	f, err := stacks.ReadStackFile("..", "prod")
	require.NoError(t, err)
	values := f.Source.Values
	var aws map[string]any
	require.NoError(t, json.Unmarshal([]byte(values["observability:aws"]), &aws))
	aws["existingBuckets"] = map[string]string{"metrics": metrics, "logSnapshots": snapshots}
	b, err := json.Marshal(aws)
	require.NoError(t, err)
	values["observability:aws"] = string(b)
	var secretKeys []string
	for _, s := range stacks.SecretKeys {
		key := stacks.Namespace + ":" + s.Key
		values[key] = s.ValidValue("test-secret-value-for-" + s.Key)
		secretKeys = append(secretKeys, key)
	}
	pulumitest.WithConfig(t, values, secretKeys)
	rec := pulumitest.New()
	require.NoError(t, pulumi.RunErr(program.Run, pulumi.WithMocks(stacks.Namespace, "prod", rec)))

	for key, name := range map[string]string{"metrics-bucket": metrics, "log-snapshots-bucket": snapshots} {
		assert.Equal(t, name, rec.RPC(t, "aws:s3/bucketV2:BucketV2::"+key+"-bucket").GetImportId())
		assert.Equal(t, name, rec.RPC(t, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2::"+key+"-lifecycle").GetImportId())
	}
	var objstore struct{ Config map[string]any }
	require.NoError(t, yaml.Unmarshal([]byte(secretString(t, rec, "kubernetes:core/v1:Secret::thanos-objstore", "objstore.yml")), &objstore))
	assert.Equal(t, metrics, objstore.Config["bucket"], "Thanos reads the adopted bucket's blocks")
}

// secretString is one key of a recorded Secret's stringData, through the
// secret markers around it.
func secretString(t *testing.T, rec *pulumitest.Recorder, key, dataKey string) string {
	t.Helper()
	unwrap := func(v resource.PropertyValue) resource.PropertyValue {
		for v.IsSecret() {
			v = v.SecretValue().Element
		}
		return v
	}
	data := unwrap(rec.Get(t, key)["stringData"])
	require.True(t, data.IsObject())
	v := unwrap(data.ObjectValue()[resource.PropertyKey(dataKey)])
	require.True(t, v.IsString())
	return v.StringValue()
}
