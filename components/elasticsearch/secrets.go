package elasticsearch

import (
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// secretNames are the Secrets the component creates; writer and reader are
// "" without their password.
type secretNames struct {
	credentials, writer, reader pulumi.StringOutput
}

// secrets creates the built-in users' credentials Secret and, with their
// passwords, the log writer's Secret and Grafana's reader Secret (in
// Grafana's namespace). Every password is a secret Output.
func (o objects) secrets() (secretNames, error) {
	a, lbl := o.args, o.labels("storage")
	names := secretNames{writer: pulumi.String("").ToStringOutput(), reader: pulumi.String("").ToStringOutput()}
	secret, err := corev1.NewSecret(o.ctx, o.role("credentials"), &corev1.SecretArgs{
		Metadata:   o.meta(CredentialsSecretName(o.name), lbl),
		Type:       pulumi.String("Opaque"),
		StringData: a.secrets(),
	}, o.parent)
	if err != nil {
		return names, err
	}
	names.credentials = secret.Metadata.Name().Elem()
	// Both users' Secrets use the keys Fluentd, Logstash and Grafana read.
	user := func(role, objName, namespace, user string, password pulumi.StringInput) (pulumi.StringOutput, error) {
		s, err := corev1.NewSecret(o.ctx, o.role(role), &corev1.SecretArgs{
			Metadata: o.metaIn(objName, namespace, lbl),
			Type:     pulumi.String("Opaque"),
			StringData: pulumi.StringMap{
				LogWriterUsernameKey: pulumi.String(user),
				LogWriterPasswordKey: pulumi.ToSecret(password.ToStringOutput()).(pulumi.StringOutput),
			},
		}, o.parent)
		if err != nil {
			return pulumi.StringOutput{}, err
		}
		return s.Metadata.Name().Elem(), nil
	}
	if a.LogWriterPassword != nil {
		if names.writer, err = user("log-writer", LogWriterSecretName(o.name), a.Namespace, LogWriterUser, a.LogWriterPassword); err != nil {
			return names, err
		}
	}
	if a.GrafanaReaderPassword != nil {
		if names.reader, err = user("grafana-reader", GrafanaReaderSecretName(o.name), a.GrafanaReaderNamespace, GrafanaReaderUser, a.GrafanaReaderPassword); err != nil {
			return names, err
		}
	}
	return names, nil
}
