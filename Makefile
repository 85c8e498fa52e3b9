# big-issuer: the operator's verbs. `make help` lists them.
SHELL := /bin/bash
CARGO ?= cargo

.PHONY: help run demo test lint fmt build-release

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | column -t -s $$'\t'

run: ## Start both functions and a BIG-register stand-in locally, offline
	@bash infra/local/run.sh

demo: ## Start the local stack, show an issuance and every refusal, stop
	@bash infra/local/run.sh --demo-only

test: ## Run every test (unit, integration, end to end); no network needed
	$(CARGO) build --workspace --bins --locked
	$(CARGO) test --workspace --all-targets --locked

lint: ## rustfmt and clippy, warnings are errors
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

fmt: ## Format the code
	$(CARGO) fmt --all

build-release: ## Release binaries for this machine (target/release/*)
	$(CARGO) build --release --locked -p issuance-request -p disclosure-callback
