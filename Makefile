# snapcopy: make demo runs the app on the built-in EC2 simulator; make test runs every test.
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: build test e2e demo bench lint fuzz

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o snapcopy .

test:
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 30m ./...

# The tmux-driven end-to-end scenarios alone (they also run in make test).
e2e:
	$(GO) test -count=1 -timeout 20m -v ./ui/e2e/

demo:
	$(GO) run -ldflags "$(LDFLAGS)" . --demo

bench:
	$(GO) test -run '^$$' -bench . -benchmem -timeout 30m ./...

lint:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

# A short fuzzing run of the validator and the text sanitizer.
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzCheck -fuzztime 30s ./validate/
	$(GO) test -run '^$$' -fuzz FuzzClean -fuzztime 30s ./ui/textsafe/
