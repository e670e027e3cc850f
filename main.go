// Command observability is the Pulumi program for Klear Karma's
// observability platform. The program lives in package program so tests
// and the Automation API driver run exactly the same code.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/program"
)

func main() { pulumi.Run(program.Run) }
