# Klear Karma observability platform. `make up` renders the offline local
# stack through the real Pulumi engine; `make test` is what CI runs.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
STACK ?= local

.PHONY: help tools up preview destroy render test unit fmt vet bench cluster-up cluster-down

help:
	@echo "make up               render the offline 'local' stack through the real engine into rendered/local"
	@echo "make test             everything CI runs: gofmt, go vet, unit tests, promtool/amtool, engine round-trips"
	@echo "make preview STACK=x  preview a stack (dev/prod need credentials and secrets)"
	@echo "make render STACK=x   render any stack offline into rendered/STACK (stand-in plugins, nothing deployed)"
	@echo "make destroy STACK=x  destroy a stack"
	@echo "make tools            build or find the pinned Pulumi CLI and kubernetes plugin"
	@echo "make cluster-up       start the embedded Kubernetes control plane in .cluster/ (prints KUBECONFIG)"
	@echo "make cluster-down     stop it"

tools:
	@scripts/tools.sh

cluster-up:
	@scripts/cluster.sh up

cluster-down:
	@scripts/cluster.sh down

up:
	@root=$$(scripts/tools.sh); go run ./cmd/stackctl --tools-root "$$root" up local

preview:
	@root=$$(scripts/tools.sh); go run ./cmd/stackctl --tools-root "$$root" preview $(STACK)

destroy:
	@root=$$(scripts/tools.sh); go run ./cmd/stackctl --tools-root "$$root" destroy $(STACK)

render:
	@root=$$(scripts/tools.sh); go run ./cmd/stackctl --tools-root "$$root" render $(STACK)

test:
	@scripts/test.sh

unit:
	go test -short ./...

bench:
	go test -run '^$$' -bench . -benchmem ./...
