# snapcopy: make demo runs the app on the built-in EC2 simulator; make test runs every test.
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.stampedVersion=$(VERSION)

.PHONY: build test e2e demo bench lint fuzz

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o snapcopy .

# Every test with the race detector on (the e2e binary is built with it too):
# the tracker is shared by the screen, its Cmds and the follow loop.
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 30m ./...

# The tmux-driven end-to-end scenarios alone (they also run in make test).
e2e:
	$(GO) test -count=1 -timeout 20m -v ./ui/e2e/

demo:
	$(GO) run -ldflags "$(LDFLAGS)" . --demo

bench:
	$(GO) test -run '^$$' -bench . -benchmem -timeout 30m ./...

# staticcheck is pinned and installed by the lint target itself (into Go's
# own bin folder, outside the tree), so a fresh clone needs nothing but Go.
STATICCHECK_VERSION := v0.8.2
TOOLS := $(shell $(GO) env GOPATH)/bin/snapcopy-tools
STATICCHECK := $(TOOLS)/staticcheck-$(STATICCHECK_VERSION)

$(STATICCHECK):
	GOBIN=$(TOOLS) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	mv $(TOOLS)/staticcheck $@

lint: $(STATICCHECK)
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) mod tidy -diff
	$(STATICCHECK) ./...
	@# The house's rules (what may import what, only awsops reaches AWS,
	@# only model changes a copy's phase, only the tracker steps copies).
	$(GO) test -count=1 ./ui/layout/

# A short fuzzing run of the validator and the text sanitizer.
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzCheck -fuzztime 30s ./validate/
	$(GO) test -run '^$$' -fuzz FuzzClean -fuzztime 30s ./ui/textsafe/
