# The two commands (README.md). Everything else here serves them.
SHELL := /bin/bash
PORT ?= 8080
RESPONDERS ?= 1
WORKERS ?= 16

.PHONY: run test bench bench-staff deps build release clean

## make run: set up everything and serve http://127.0.0.1:$(PORT)/ in the foreground.
run: release
	PORT=$(PORT) RESPONDERS=$(RESPONDERS) WORKERS=$(WORKERS) .ci/serve

## make test: set up everything on a throw-away database and ports, then run every test.
test: 
	.ci/deps --test
	.ci/test

## make bench: the whole stack from a release build, measured (see bench/README.md).
bench:
	.ci/deps --bench
	bench/run

## make bench-staff: the staff pages on a million customers (see bench/README.md).
bench-staff:
	.ci/deps --bench
	bench/staff

deps:
	.ci/deps

build: deps
	swift build

release: deps
	bash -c 'source .ci/lib.sh && release_build'

clean:
	rm -rf .build .run/test .run/bench .run/bench-staff
