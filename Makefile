# snapcopy: make demo runs the app on the built-in EC2 simulator; make test runs every test.
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.stampedVersion=$(VERSION)

.PHONY: build test e2e demo bench lint fuzz dist

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

# Release archives in dist/: a static binary (no cgo, paths trimmed, the
# version stamped) for each platform bastion hosts and laptops run, in a
# .tar.gz with the README, the licence, the shell completions and the man
# pages (generated from the same command definitions by ui/cmd/cli/gen, a
# program apart, so snapcopy links no man page generator), and SHA256SUMS.
# The archives are the same bytes for the same commit: files sorted, owned by
# root, dated by the commit (SOURCE_DATE_EPOCH), gzip without a timestamp.
PLATFORMS := linux/amd64 linux/arm64 darwin/arm64 darwin/amd64
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || date +%s)
export SOURCE_DATE_EPOCH

dist:
	rm -rf dist
	$(GO) run ./ui/cmd/cli/gen -version $(VERSION) -readme README.md -out dist/share
	@set -e; for p in $(PLATFORMS); do \
		os=$${p%/*}; arch=$${p#*/}; name=snapcopy_$(VERSION)_$${os}_$${arch}; dir=dist/$$name; \
		echo "dist: $$name"; \
		mkdir -p $$dir; \
		CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -ldflags "-s -w $(LDFLAGS)" -o $$dir/snapcopy . ; \
		install -m 0644 README.md LICENSE $$dir/; \
		cp -R dist/share/completions dist/share/man $$dir/; \
		chmod -R u=rwX,go=rX $$dir; \
		tar --sort=name --mtime=@$(SOURCE_DATE_EPOCH) --owner=0 --group=0 --numeric-owner \
			-C dist -cf - $$name | gzip -9n > $$dir.tar.gz; \
		rm -rf $$dir; \
	done
	rm -rf dist/share
	cd dist && sha256sum *.tar.gz > SHA256SUMS
	@cat dist/SHA256SUMS
