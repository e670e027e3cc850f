// Command costexporter is the cost exporter, as one binary. Built as
// `bootstrap` for the provided.al2023 runtime it serves Lambda (the runtime
// sets AWS_LAMBDA_RUNTIME_API); anywhere else it is a command for operators
// that runs one day with the default AWS credential chain:
//
//	costexporter --dry-run                     # yesterday: print, publish nothing
//	costexporter --day 2026-11-30 --budget 500 # publish that day (and alert)
//
// The logic lives in package exporter; this file only wires flags and the
// environment to it.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/klearkarma/observability/functions/costexporter/contract"
	"github.com/klearkarma/observability/functions/costexporter/exporter"
)

func main() {
	if os.Getenv("AWS_LAMBDA_RUNTIME_API") != "" {
		serveLambda()
		return
	}
	os.Exit(runCLI(os.Args[1:], os.Stdout, os.Stderr))
}

func serveLambda() {
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	cfg, err := exporter.ConfigFromEnv(os.Getenv)
	if err == nil {
		var e *exporter.Exporter
		if e, err = exporter.NewFromAWS(context.Background(), cfg, exporter.WithLogger(log)); err == nil {
			lambda.Start(e.Handle)
			return
		}
	}
	// A broken environment fails the init phase, which Lambda counts as an
	// error, so the Errors alarm fires on a bad deploy too.
	log.Error("cost exporter cannot start", "error", err.Error())
	os.Exit(1)
}

// timeNow is the CLI's clock (the default day, the checks on --day).
var timeNow = time.Now

func runCLI(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("costexporter", flag.ContinueOnError)
	fs.SetOutput(stderr)
	env, envErr := exporter.ConfigFromEnv(os.Getenv)
	day := fs.String("day", "", "UTC day to export as YYYY-MM-DD (default: yesterday, the last complete day)")
	dryRun := fs.Bool("dry-run", false, "query Cost Explorer and print what would be published and sent; publish and send nothing")
	budget := fs.Float64("budget", env.DailyBudgetUSD, "daily budget in USD (default $"+contract.EnvDailyBudgetUSD+")")
	factor := fs.Float64("page-factor", env.PageFactor, "page PagerDuty above this many times the budget; 0 never pages")
	region := fs.String("region", "", "region of CloudWatch and Secrets Manager (default: the AWS config chain)")
	ceRegion := fs.String("cost-explorer-region", env.CostExplorerRegion, "region of the Cost Explorer endpoint")
	secret := fs.String("secret-arn", env.AlertSecretARN, "alert secret with the Slack webhook and PagerDuty key (default $"+contract.EnvAlertSecretARN+")")
	noNotify := fs.Bool("no-notify", false, "publish the metrics but send no Slack message or page")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "costexporter: unexpected arguments %q: every option is a flag, see -h\n", fs.Args())
		return 2
	}
	// The flags default to the environment and override it, so an
	// environment problem matters only if the flags leave it in place:
	// NewFromAWS validates the result and names the variable and the flag.
	_ = envErr

	log := slog.New(slog.NewTextHandler(stderr, nil))
	cfg := env
	cfg.DailyBudgetUSD, cfg.PageFactor, cfg.Region = *budget, *factor, *region
	cfg.CostExplorerRegion, cfg.AlertSecretARN, cfg.DisableNotifications = *ceRegion, *secret, *noNotify

	if *dryRun && cfg.Region == "" && os.Getenv("AWS_REGION") == "" && os.Getenv("AWS_DEFAULT_REGION") == "" {
		// A dry run calls only Cost Explorer, so CloudWatch's region is moot.
		cfg.Region = cfg.CostExplorerRegion
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e, err := exporter.NewFromAWS(ctx, cfg, exporter.WithLogger(log), exporter.WithClock(timeNow))
	if err != nil {
		fmt.Fprintln(stderr, "costexporter:", err)
		return 1
	}
	d := exporter.LastCompleteDay(timeNow())
	if *day != "" {
		if d, err = exporter.ParseDay(*day); err != nil {
			fmt.Fprintln(stderr, "costexporter:", err)
			return 2
		}
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if *dryRun {
		p, err := e.Plan(ctx, d)
		if err != nil {
			fmt.Fprintln(stderr, "costexporter:", err)
			return 1
		}
		out := struct {
			*exporter.Plan
			PutMetricData []exporter.Call `json:"putMetricData"`
		}{p, p.Calls()}
		if err := enc.Encode(out); err != nil {
			fmt.Fprintln(stderr, "costexporter:", err)
			return 1
		}
		return 0
	}
	rep, err := e.Run(ctx, d)
	if err != nil {
		fmt.Fprintln(stderr, "costexporter:", err)
		return 1
	}
	if err := enc.Encode(rep); err != nil {
		fmt.Fprintln(stderr, "costexporter:", err)
		return 1
	}
	return 0
}
