# acremu: build, run and test. `make run` serves on the embedded default (bbolt + filesystem under
# $(DATA_DIR)); `make test` runs every test, real clients included (installed by conformance/install-clients.sh).

GO        ?= go
BIN       ?= bin/acremu
DATA_DIR  ?= acremu-data
ADDR      ?= 127.0.0.1:5000
IMAGE     ?= acremu:dev
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X main.version=$(VERSION)
GOBIN_DIR := $(shell $(GO) env GOPATH)/bin
export PATH := $(GOBIN_DIR):$(PATH)

.PHONY: all build run test test-unit clients bench lint fuzz image clean

all: build

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/acremu

run: build
	$(BIN) serve --addr $(ADDR) --data-dir $(DATA_DIR)

# Every test: unit tests, then the end-to-end suites that drive the emulator with the Docker engine,
# skopeo, crane and oras (installed first when absent; in CI a missing client fails the run).
test: clients
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 30m ./...
	$(GO) test -count=1 -race -timeout 20m ./authz/... ./storage/... ./tokens/... ./registry/... ./arm/... ./emulator/...
	# The whole server under concurrent real-client traffic, with the race detector.
	$(GO) test -count=1 -race -timeout 20m -run 'TestRBACScenariosGGCR|TestABACModeSwitch|TestARMRegistries|TestOCIContent|TestAzureSDK' ./conformance/

# Unit tests only, no client installation.
test-unit:
	$(GO) test -count=1 -short ./...

clients:
	bash conformance/install-clients.sh

bench: build
	$(GO) test -run '^$$' -bench . -benchmem -count 1 ./authz/... ./tokens/... ./conformance/bench/...
	$(GO) run ./conformance/bench/startup -bin $(BIN)

fuzz:
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 60s ./authz/condition/
	$(GO) test -run '^$$' -fuzz FuzzParseScopes -fuzztime 30s ./tokens/

lint:
	test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

image:
	docker build -t $(IMAGE) --build-arg VERSION=$(VERSION) .

clean:
	rm -rf bin $(DATA_DIR)
