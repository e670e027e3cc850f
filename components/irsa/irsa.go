// Package irsa owns one IAM role for Kubernetes service accounts (EKS IRSA):
// the role, its trust policy, which lets exactly the named service accounts
// of one cluster assume it with their projected token, and the attachments
// of the managed policies it is given. It owns neither the cluster's OIDC
// identity provider (the cluster's owner registers it once per cluster)
// nor the policies it attaches (components/bucket makes those), nor the
// service accounts, which carry the role's ARN as an annotation or pass it
// to the pods themselves.
package irsa

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/klearkarma/observability/internal/check"
	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/encoding"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "klearkarma:observability:ServiceAccountRole"

// Audience is the audience of the projected service account token the AWS
// SDKs exchange for the role (the EKS pod identity webhook's default).
const Audience = "sts.amazonaws.com"

// RoleArnAnnotation is the service account annotation the EKS pod identity
// webhook reads to project the token and set AWS_ROLE_ARN in the pods.
const RoleArnAnnotation = "eks.amazonaws.com/role-arn"

// ServiceAccount is one Kubernetes service account allowed to assume the role.
type ServiceAccount struct {
	Namespace, Name string
}

// Subject is the token's sub claim of the service account.
func (s ServiceAccount) Subject() string {
	return "system:serviceaccount:" + s.Namespace + ":" + s.Name
}

// Args configure the role.
type Args struct {
	// OIDCProviderArn is the cluster's IAM OIDC identity provider,
	// arn:aws:iam::<account>:oidc-provider/<issuer host and path>.
	OIDCProviderArn string
	// OIDCIssuerURL is the cluster's OIDC issuer (aws eks describe-cluster
	// --query cluster.identity.oidc.issuer); the provider ARN ends with it,
	// without https://.
	OIDCIssuerURL string
	// RoleName is the role's fixed name, so its ARN (RoleArn) is known
	// before it exists; 1 to 64 characters.
	RoleName string
	// Description says what the role is for.
	Description string
	// ServiceAccounts may assume the role, and nothing else may.
	ServiceAccounts []ServiceAccount
	// Policies are the managed policies attached to the role, by a short
	// key that names the attachment ("metrics-bucket").
	Policies map[string]pulumi.StringInput
}

// Role is the component.
type Role struct {
	pulumi.ResourceState

	Arn  pulumi.StringOutput `pulumi:"arn"`
	Name pulumi.StringOutput `pulumi:"name"`
}

var (
	// providerArn is an IAM OIDC provider ARN: partition, account, issuer.
	providerArn = regexp.MustCompile(`^arn:(aws[a-z-]*):iam::(\d{12}):oidc-provider/(\S+)$`)
	// roleName is what IAM accepts as a role name.
	roleName = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
)

// CheckProvider states the rules of a cluster's OIDC identity provider
// and issuer under the caller's field names (the stack configuration
// checks them under its own keys): an IAM OIDC provider ARN, an https
// issuer URL, and the two of the same cluster.
func CheckProvider(ps *check.Problems, arnField, issuerField, arn, issuerURL string) {
	m := providerArn.FindStringSubmatch(arn)
	if m == nil {
		ps.Add(arnField, fmt.Sprintf("%q is not an IAM OIDC identity provider ARN", arn),
			"use arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<id> (aws iam list-open-id-connect-providers)")
	}
	issuer, ok := strings.CutPrefix(issuerURL, "https://")
	switch {
	case !ok || issuer == "" || strings.ContainsAny(issuer, " ?#") || strings.HasSuffix(issuer, "/"):
		ps.Add(issuerField, fmt.Sprintf("%q is not an OIDC issuer URL", issuerURL),
			"use the cluster's issuer, https://oidc.eks.<region>.amazonaws.com/id/<id> (aws eks describe-cluster --name <cluster> --query cluster.identity.oidc.issuer)")
	case m != nil && m[3] != issuer:
		ps.Add(issuerField, fmt.Sprintf("%q is not the issuer of the OIDC provider %s", issuerURL, arn),
			"use the provider and the issuer of the same cluster: the provider ARN ends with the issuer URL without https://")
	}
}

// Check states the rules of the trust relationship; fields are named
// oidcProviderArn, oidcIssuerUrl, roleName, serviceAccounts and policies.
func (a Args) Check() check.Problems {
	var ps check.Problems
	CheckProvider(&ps, "oidcProviderArn", "oidcIssuerUrl", a.OIDCProviderArn, a.OIDCIssuerURL)
	if !roleName.MatchString(a.RoleName) {
		ps.Add("roleName", fmt.Sprintf("%q is not an IAM role name", a.RoleName), "use 1 to 64 letters, digits and +=,.@_-")
	}
	if len(a.ServiceAccounts) == 0 {
		ps.Add("serviceAccounts", "is empty: nothing could assume the role", "name the service accounts whose pods use it")
	}
	seen := map[ServiceAccount]bool{}
	for i, sa := range a.ServiceAccounts {
		field := fmt.Sprintf("serviceAccounts[%d]", i)
		check.DNSLabel(&ps, field+".namespace", sa.Namespace, true)
		if len(validation.IsDNS1123Subdomain(sa.Name)) > 0 {
			ps.Add(field+".name", fmt.Sprintf("%q is not a service account name", sa.Name), "use the name of the pods' service account")
		}
		if seen[sa] {
			ps.Add(field, fmt.Sprintf("%s/%s is listed twice", sa.Namespace, sa.Name), "list each service account once")
		}
		seen[sa] = true
	}
	for _, k := range slices.Sorted(maps.Keys(a.Policies)) {
		if !check.IsDNSLabel(k) || a.Policies[k] == nil {
			ps.Add("policies."+k, "is not a policy keyed by a DNS label", "key each policy ARN by a short name such as metrics-bucket")
		}
	}
	return ps
}

// RoleArn is the ARN of the role named roleName in the account (and
// partition) of the OIDC provider: what the service accounts carry, known
// before the role exists. It is "" for a provider ARN that Check refuses.
func RoleArn(oidcProviderArn, roleName string) string {
	m := providerArn.FindStringSubmatch(oidcProviderArn)
	if m == nil {
		return ""
	}
	return "arn:" + m[1] + ":iam::" + m[2] + ":role/" + roleName
}

// TrustPolicy is the role's trust policy: the cluster's OIDC provider may
// federate, for exactly the listed service accounts' subjects and only
// with tokens issued for STS. StringEquals on both claims: a token of any
// other service account, or one minted for another audience, is refused.
func (a Args) TrustPolicy() (string, error) {
	issuer := strings.TrimPrefix(a.OIDCIssuerURL, "https://")
	subjects := make([]string, 0, len(a.ServiceAccounts))
	for _, sa := range a.ServiceAccounts {
		subjects = append(subjects, sa.Subject())
	}
	slices.Sort(subjects)
	return encoding.JSON(PolicyDocument{
		Version: "2012-10-17",
		Statement: []Statement{{
			Sid:       "ServiceAccounts",
			Effect:    "Allow",
			Principal: map[string]string{"Federated": a.OIDCProviderArn},
			Action:    []string{"sts:AssumeRoleWithWebIdentity"},
			Condition: map[string]map[string][]string{"StringEquals": {
				issuer + ":aud": {Audience},
				issuer + ":sub": subjects,
			}},
		}},
	})
}

// PolicyDocument is an IAM policy document as this package writes it;
// tests parse trust policies back into it.
type PolicyDocument struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is one statement of a PolicyDocument.
type Statement struct {
	Sid       string                         `json:"Sid"`
	Effect    string                         `json:"Effect"`
	Principal map[string]string              `json:"Principal,omitempty"`
	Action    []string                       `json:"Action"`
	Resource  any                            `json:"Resource,omitempty"`
	Condition map[string]map[string][]string `json:"Condition,omitempty"`
}

// New creates the role and attaches its policies.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Role, error) {
	if err := args.Check().Err(); err != nil {
		return nil, fmt.Errorf("service account role %q: %w", name, err)
	}
	trust, err := args.TrustPolicy()
	if err != nil {
		return nil, fmt.Errorf("service account role %q: %w", name, err)
	}
	c := &Role{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	role, err := iam.NewRole(ctx, conventions.Child(name, "role"), &iam.RoleArgs{
		Name:             pulumi.String(args.RoleName),
		Description:      pulumi.String(args.Description),
		AssumeRolePolicy: pulumi.String(trust),
		// A pod's credentials last an hour and the SDKs renew them.
		MaxSessionDuration: pulumi.Int(3600),
	}, pulumi.Parent(c))
	if err != nil {
		return nil, err
	}
	for _, k := range slices.Sorted(maps.Keys(args.Policies)) {
		if _, err := iam.NewRolePolicyAttachment(ctx, conventions.Child(name, k), &iam.RolePolicyAttachmentArgs{
			Role: role.Name, PolicyArn: args.Policies[k],
		}, pulumi.Parent(c)); err != nil {
			return nil, err
		}
	}
	c.Arn, c.Name = role.Arn, role.Name
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"arn": c.Arn, "name": c.Name})
}
