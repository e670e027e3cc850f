package exporter

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/costexplorer"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// NewFromAWS builds the SDK clients from the default credential chain and
// configuration (so AWS_ENDPOINT_URL_COST_EXPLORER, _CLOUDWATCH and
// _SECRETS_MANAGER redirect them, which the tests use). Every client gets
// the SDK's standard retryer with cfg.MaxAttempts: throttling
// (ThrottlingException, LimitExceededException, ...) and transient errors
// are retried with jittered exponential backoff by the SDK, not by us.
func NewFromAWS(ctx context.Context, cfg Config, opts ...Option) (*Exporter, error) {
	if err := cfg.withDefaults(); err != nil {
		return nil, fmt.Errorf("cost exporter config: %w", err)
	}
	o := collect(opts)
	load := []func(*config.LoadOptions) error{
		config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(so *retry.StandardOptions) {
				so.MaxAttempts = cfg.MaxAttempts
				if o.backoff != nil {
					so.Backoff = retry.BackoffDelayerFunc(o.backoff)
				}
			})
		}),
	}
	if cfg.Region != "" {
		load = append(load, config.WithRegion(cfg.Region))
	}
	awsCfg, err := config.LoadDefaultConfig(ctx, load...)
	if err != nil {
		return nil, fmt.Errorf("cost exporter: load AWS configuration: %w", err)
	}
	if awsCfg.Region == "" {
		return nil, errors.New("cost exporter: no AWS region for CloudWatch and Secrets Manager: set AWS_REGION or pass --region")
	}
	return New(cfg, Clients{
		CostExplorer: costexplorer.NewFromConfig(awsCfg, func(co *costexplorer.Options) { co.Region = cfg.CostExplorerRegion }),
		CloudWatch:   cloudwatch.NewFromConfig(awsCfg),
		Secrets:      secretsmanager.NewFromConfig(awsCfg),
		HTTP:         o.http,
	}, opts...)
}
