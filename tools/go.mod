// Pinned command-line tools the tests run: staticcheck. A module of its own
// so its dependencies stay out of the program's go.mod. Run it with
// `go tool -modfile=tools/go.mod staticcheck` from the repo root.
// promtool and amtool are not here: they are built with the servers they
// come with, at the pins the images use (internal/pins, internal/livebin).
module github.com/klearkarma/observability/tools

go 1.26.7

tool honnef.co/go/tools/cmd/staticcheck

require (
	github.com/BurntSushi/toml v1.4.1-0.20240526193622-a339e1f7089c // indirect
	golang.org/x/exp/typeparams v0.0.0-20231108232855-2478ac86f678 // indirect
	golang.org/x/mod v0.42.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
	golang.org/x/tools v0.52.0 // indirect
	honnef.co/go/tools v0.8.2 // indirect
)
