package loggroups_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/loggroups"
	"github.com/klearkarma/observability/internal/pulumitest"
)

func TestLogGroups(t *testing.T) {
	cases := map[string]struct {
		args    loggroups.Args
		wantErr string
		check   func(t *testing.T, rec *pulumitest.Recorder)
	}{
		"application logs keep 90 days and audit logs 7 years": {
			args: loggroups.Args{Prefix: "/klearkarma/prod", Groups: []loggroups.Group{{"application", 90}, {"audit", 2557}}},
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				app := rec.Get(t, "aws:cloudwatch/logGroup:LogGroup::logs-application").Mappable()
				assert.Equal(t, "/klearkarma/prod/application", app["name"])
				assert.Equal(t, 90.0, app["retentionInDays"])
				audit := rec.Get(t, "aws:cloudwatch/logGroup:LogGroup::logs-audit").Mappable()
				assert.Equal(t, 2557.0, audit["retentionInDays"])
			},
		},
		"a retention CloudWatch does not accept is refused": {
			args:    loggroups.Args{Prefix: "/klearkarma/prod", Groups: []loggroups.Group{{"application", 100}}},
			wantErr: "groups[0].retentionDays: 100 days is not a retention CloudWatch Logs accepts",
		},
		"a prefix that is not a path is refused": {
			args:    loggroups.Args{Prefix: "klearkarma", Groups: []loggroups.Group{{"application", 90}}},
			wantErr: `prefix: "klearkarma" does not start with /`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			rec, err := pulumitest.Run(func(ctx *pulumi.Context) error {
				_, err := loggroups.New(ctx, "logs", tc.args)
				return err
			})
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				assert.Empty(t, rec.Keys())
				return
			}
			require.NoError(t, err)
			tc.check(t, rec)
		})
	}
}
