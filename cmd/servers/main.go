// Command servers builds the upstream servers the live tests run (see
// internal/livebin) into the tools cache and prints one "name path" line per
// binary on stdout; progress goes to stderr.
//
//	go run ./cmd/servers [-only prometheus,thanos] [-list]
//
// A second run finds the builds and returns at once.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/klearkarma/observability/internal/livebin"
	"github.com/klearkarma/observability/internal/pins"
)

func main() {
	only := flag.String("only", "", "comma-separated server names to build (default: all)")
	list := flag.Bool("list", false, "print the server names and pinned versions, build nothing")
	flag.Parse()
	if err := run(*only, *list); err != nil {
		fmt.Fprintln(os.Stderr, "servers:", err)
		os.Exit(1)
	}
}

func run(only string, list bool) error {
	servers, err := pick(pins.Servers(), only)
	if err != nil {
		return err
	}
	if list {
		for _, s := range servers {
			fmt.Printf("%s %s\n", s.Name, s.Version)
		}
		return nil
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	paths, err := livebin.EnsureSome(ctx, servers, livebin.Options{Progress: os.Stderr})
	names := make([]string, 0, len(paths))
	for n := range paths {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Printf("%s %s\n", n, paths[n])
	}
	return err
}

// pick returns the servers named in only (all when empty), in build order.
func pick(all []pins.Server, only string) ([]pins.Server, error) {
	if only == "" {
		return all, nil
	}
	byName := map[string]pins.Server{}
	var known []string
	for _, s := range all {
		byName[s.Name] = s
		known = append(known, s.Name)
	}
	want := map[string]bool{}
	for _, n := range strings.Split(only, ",") {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		if _, ok := byName[n]; !ok {
			return nil, fmt.Errorf("-only: no server %q; known: %s", n, strings.Join(known, ", "))
		}
		want[n] = true
	}
	var out []pins.Server
	for _, s := range all {
		if want[s.Name] {
			out = append(out, s)
		}
	}
	return out, nil
}
