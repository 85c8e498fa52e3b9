# big-issuer: the operator's verbs. `make help` lists them.
SHELL := /bin/bash
CARGO ?= cargo
# The project's Python tools (template checks, the Secrets Manager stand-in, key scripts, SAM,
# cargo-lambda) live in this virtualenv, made by `make venv`.
VENV := .venv
PYTHON := $(VENV)/bin/python
# Lambda architecture of `build` and `deploy`: arm64 (the template's default) or x86_64.
ARCH ?= arm64
# Where `keys` writes the requestor key pair and `put-key` / `irma-config` read it (git ignores it).
KEYS_DIR ?= keys
# The stack whose secret `put-key` fills (samconfig.toml's stack_name), or SECRET_ID to name it.
STACK ?= big-issuer
SECRET_ID ?=
# sam would otherwise send usage data to AWS; nothing here may talk to AWS but a deploy.
export SAM_CLI_TELEMETRY := 0

LAMBDA_FLAG_arm64 := --arm64
LAMBDA_FLAG_x86_64 := --x86-64
RUST_TARGET_arm64 := aarch64-unknown-linux-gnu
RUST_TARGET_x86_64 := x86_64-unknown-linux-gnu

.PHONY: help run demo test web test-web web-screenshot lint fmt build-release bench load fuzz fuzz-smoke fuzz-tools venv lambda-tools lint-template build deploy keys put-key irma-config

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | column -t -s $$'\t'

run: ## Start both functions, a BIG-register stand-in and the page (:8080) locally, offline
	@if command -v node >/dev/null; then $(MAKE) --no-print-directory web || echo "web: not built, so the page is not served" >&2; fi
	@bash infra/local/run.sh

demo: ## Start the local stack, show an issuance and every refusal, stop
	@bash infra/local/run.sh --demo-only

# The Secrets Manager test (testing/devtools/tests/secrets_manager.rs) runs moto from the venv.
test: venv lint-template ## Run every test (template checks, unit, integration, end to end, browser, fuzz smoke)
	$(CARGO) build --workspace --bins --locked
	$(CARGO) test --workspace --all-targets --locked
	$(MAKE) --no-print-directory test-web
	$(MAKE) --no-print-directory fuzz-smoke

# The reference page (web/): yivi-frontend from npm (package-lock.json), copied with the page's
# files into web/dist. The browser test (testing/web/) drives Debian's chromium with playwright-core.
CHROMIUM ?= /usr/bin/chromium

web/node_modules/.installed: web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch $@

testing/web/node_modules/.installed: testing/web/package-lock.json
	cd testing/web && npm ci --no-audit --no-fund
	touch $@

web: web/node_modules/.installed ## Build the page into web/dist (npm ci once, then copy)
	cd web && npm run --silent build

test-web: web testing/web/node_modules/.installed ## Browser test of the page: chromium, both flows, refusals, nl/en (screenshots in target/web-test)
	$(CARGO) build --workspace --bins --locked
	cd testing/web && CHROMIUM=$(CHROMIUM) node --test --test-concurrency=1 --test-timeout=60000 browser.test.mjs

web-screenshot: web testing/web/node_modules/.installed ## Run the browser test and refresh docs/screenshot.png
	$(CARGO) build --workspace --bins --locked
	cd testing/web && UPDATE_SCREENSHOT=1 CHROMIUM=$(CHROMIUM) node --test --test-concurrency=1 --test-timeout=60000 browser.test.mjs

# Fuzzing: cargo-fuzz (libFuzzer) on stable; without a sanitizer it needs no nightly options.
FUZZ_TARGETS := soap_response result_claims identity
FUZZ_SECONDS ?= 300

fuzz-tools:
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz --locked --version 0.13.2

fuzz-smoke: fuzz-tools ## Each fuzz target for a few seconds (part of test)
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=4

fuzz: fuzz-tools ## Each fuzz target for FUZZ_SECONDS (default 300); crashes land in fuzz/artifacts
	cd fuzz && for target in $(FUZZ_TARGETS); do \
		mkdir -p corpus/$$target seeds/$$target && \
		$(CARGO) fuzz run --sanitizer none --release $$target corpus/$$target seeds/$$target \
			-- -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=512 -print_final_stats=1 2>&1 \
			| grep -E '^(Done|stat::number_of_executed_units|==|.*panicked|SUMMARY|artifact_prefix)' ; \
		test $${PIPESTATUS[0]} -eq 0 || exit 1; \
	done

lint: lint-template ## rustfmt, clippy (warnings are errors) and the template checks
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

fmt: ## Format the code
	$(CARGO) fmt --all

build-release: ## Release binaries for this machine (target/release/*), one package at a time
	$(CARGO) build --release --locked -p issuance-request
	$(CARGO) build --release --locked -p disclosure-callback

bench: ## Cold start, per-request time, peak memory, binary size (release build; not part of test)
	$(CARGO) build --release --locked -p big-issuer-devtools -p big-issuer-bench --bins
	$(MAKE) --no-print-directory build-release
	target/release/big-issuer-bench

load: ## Bounded load test of the local mode on 127.0.0.1 (REQUESTS=2000 CONCURRENCY=16)
	$(CARGO) build --release --locked -p big-issuer-devtools -p big-issuer-bench --bins
	$(MAKE) --no-print-directory build-release
	target/release/big-issuer-load $(or $(REQUESTS),2000) $(or $(CONCURRENCY),16)

venv: $(VENV)/.installed ## Python tools into .venv: cfn-lint, SAM CLI, moto, boto3, cryptography

$(VENV)/.installed: infra/requirements.txt
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r infra/requirements.txt
	touch $@

lambda-tools: $(VENV)/.lambda-tools ## cargo-lambda (with zig) into .venv, for build and deploy

$(VENV)/.lambda-tools: $(VENV)/.installed
	$(VENV)/bin/pip install --quiet --disable-pip-version-check cargo-lambda==1.9.2
	touch $@

# cfn-lint and `sam validate --lint` check properties and types; `sam validate` without --lint
# runs the SAM translator, which catches bad event types, AuthType values and policy-template
# parameters that the linters miss. Neither checks the Runtime string: the grep does.
lint-template: venv ## Check template.yaml offline: cfn-lint, sam validate, sam validate --lint
	$(VENV)/bin/cfn-lint template.yaml
	$(VENV)/bin/sam validate --region eu-west-1 --template-file template.yaml
	$(VENV)/bin/sam validate --lint --region eu-west-1 --template-file template.yaml
	@grep -qE '^    Runtime: provided\.al2023$$' template.yaml || { echo "template.yaml: Runtime must be provided.al2023" >&2; exit 1; }

build: lambda-tools ## Release Lambda artifacts, target/lambda/*/bootstrap (ARCH=arm64, or x86_64)
	$(if $(RUST_TARGET_$(ARCH)),,$(error ARCH must be arm64 or x86_64))
	rustup target add $(RUST_TARGET_$(ARCH))
	@# One package per invocation: built together, cargo would unify features and give
	@# disclosure-callback the Secrets Manager client it never uses.
	for package in issuance-request disclosure-callback; do \
		PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(CARGO) lambda build --release --locked $(LAMBDA_FLAG_$(ARCH)) \
			--package $$package || exit 1; \
	done
	@ls -l target/lambda/*/bootstrap

deploy: lambda-tools ## sam build + sam deploy (needs AWS credentials; guided the first time)
	$(if $(RUST_TARGET_$(ARCH)),,$(error ARCH must be arm64 or x86_64))
	rustup target add $(RUST_TARGET_$(ARCH))
	ARCH=$(ARCH) bash infra/deploy.sh

keys: venv ## New requestor key pair in keys/ (kept if there), then print the IRMA requestor config
	test -f $(KEYS_DIR)/requestor.pem || $(PYTHON) infra/keys.py generate --out $(KEYS_DIR)
	@$(PYTHON) infra/keys.py irma-config --public-key $(KEYS_DIR)/requestor.pub.pem

put-key: venv ## Store keys/requestor.pem in the stack's secret (STACK=..., or SECRET_ID=...)
	$(PYTHON) infra/keys.py put $(if $(SECRET_ID),--secret-id $(SECRET_ID),--stack $(STACK)) \
		--key-file $(KEYS_DIR)/requestor.pem

irma-config: venv ## Print this issuer's entry for the IRMA server's requestors map
	@$(PYTHON) infra/keys.py irma-config --public-key $(KEYS_DIR)/requestor.pub.pem
