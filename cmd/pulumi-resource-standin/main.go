// Command pulumi-resource-standin is the offline stand-in for provider
// plugins that cannot be installed here. It is installed under the names
// pulumi-resource-aws, -grafana and -pagerduty in a private directory that
// only the engine tests and offline renders put on PATH; the name it is
// started as selects the package.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/klearkarma/observability/internal/pins"
	"github.com/klearkarma/observability/internal/standin"
)

func main() {
	pkg := strings.TrimPrefix(filepath.Base(os.Args[0]), "pulumi-resource-")
	version, ok := pins.StandInPackages[pkg]
	if !ok {
		fmt.Fprintf(os.Stderr, "pulumi-resource-standin: started as %q; install it as pulumi-resource-<pkg> for one of aws, grafana, pagerduty\n", os.Args[0])
		os.Exit(2)
	}
	err := provider.Main(pkg, func(*provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return standin.New(pkg, version), nil
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-%s (stand-in): %v\n", pkg, err)
		os.Exit(1)
	}
}
