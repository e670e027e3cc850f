package costexporter

import "github.com/klearkarma/observability/functions/costexporter/contract"

// PolicyDocument is an IAM policy document; exported so tests parse the
// recorded JSON back into the same shape.
type PolicyDocument struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is one IAM statement.
type Statement struct {
	Sid       string                       `json:"Sid,omitempty"`
	Effect    string                       `json:"Effect"`
	Principal map[string]string            `json:"Principal,omitempty"`
	Action    []string                     `json:"Action"`
	Resource  []string                     `json:"Resource,omitempty"`
	Condition map[string]map[string]string `json:"Condition,omitempty"`
}

func assumeRolePolicy() PolicyDocument {
	return PolicyDocument{Version: "2012-10-17", Statement: []Statement{{
		Effect:    "Allow",
		Principal: map[string]string{"Service": "lambda.amazonaws.com"},
		Action:    []string{"sts:AssumeRole"},
	}}}
}

// permissions is everything the function does, and nothing else:
//   - ce:GetCostAndUsage has no resource to scope to (Cost Explorer's only
//     resource type for it is a billing view, which the exporter does not
//     use), so "*" is the only Resource that works;
//   - cloudwatch:PutMetricData has no resource-level ARNs either, so the
//     cloudwatch:namespace condition confines it to KlearKarma/Costs;
//   - the secret and the log group are named exactly. The log group exists
//     (the component creates it), so logs:CreateLogGroup is not granted.
func permissions(secretArn, logGroupArn string) PolicyDocument {
	return PolicyDocument{Version: "2012-10-17", Statement: []Statement{
		{Sid: "ReadDailyCosts", Effect: "Allow", Action: []string{"ce:GetCostAndUsage"}, Resource: []string{"*"}},
		{Sid: "PublishCostMetrics", Effect: "Allow", Action: []string{"cloudwatch:PutMetricData"}, Resource: []string{"*"},
			Condition: map[string]map[string]string{"StringEquals": {"cloudwatch:namespace": contract.Namespace}}},
		{Sid: "ReadAlertSecret", Effect: "Allow", Action: []string{"secretsmanager:GetSecretValue"}, Resource: []string{secretArn}},
		{Sid: "WriteOwnLogs", Effect: "Allow", Action: []string{"logs:CreateLogStream", "logs:PutLogEvents"}, Resource: []string{logGroupArn + ":*"}},
	}}
}
