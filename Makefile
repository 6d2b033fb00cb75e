# The two commands a new user runs; both install what is missing and start PostgreSQL.
.PHONY: demo test deps build install format lint bench-copy clean-db

demo:
	scripts/demo.sh $(ARGS)

test:
	scripts/test.sh

deps:
	scripts/deps.sh

build:
	. scripts/env.sh && swift build

# A self-contained release binary (the migrations of sql/ are built into it) in $(PREFIX)/bin.
PREFIX ?= /usr/local
install:
	. scripts/env.sh && swift build -c release --product abctl
	install -D -m 755 .build/release/abctl $(DESTDIR)$(PREFIX)/bin/abctl

format:
	. scripts/env.sh && swift format --configuration .swift-format -i -r Sources Tests Benchmarks/Sources Package.swift

lint:
	. scripts/env.sh && swift format lint --configuration .swift-format -r Sources Tests Benchmarks/Sources

bench-copy:
	scripts/bench-copy.sh

clean-db:
	-.build/debug/abctl db stop
	rm -rf .abctl
