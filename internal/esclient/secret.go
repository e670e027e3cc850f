package esclient

import (
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Credentials are an Elasticsearch client's user, as the log shippers take
// them: an existing Secret (ExistingSecret), or Username and a Password
// that CredentialsSecret stores in a Secret of their own.
type Credentials struct {
	ExistingSecret           pulumi.StringInput
	UsernameKey, PasswordKey string
	Username                 string
	Password                 pulumi.StringInput
}

// CredentialsSecret returns the name of the Secret the client's user and
// password come from: the existing one, or a new Opaque Secret (resource
// name, metadata) holding the password as a Pulumi secret.
func CredentialsSecret(ctx *pulumi.Context, name string, meta *metav1.ObjectMetaArgs, c Credentials, opts ...pulumi.ResourceOption) (pulumi.StringInput, error) {
	if c.Password == nil {
		return c.ExistingSecret, nil
	}
	s, err := corev1.NewSecret(ctx, name, &corev1.SecretArgs{
		Metadata: meta,
		Type:     pulumi.String("Opaque"),
		StringData: pulumi.StringMap{
			c.UsernameKey: pulumi.String(c.Username),
			c.PasswordKey: pulumi.ToSecret(c.Password.ToStringOutput()).(pulumi.StringOutput),
		},
	}, opts...)
	if err != nil {
		return nil, err
	}
	return s.Metadata.Name().Elem(), nil
}
