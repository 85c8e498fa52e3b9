#!/usr/bin/env bash
# `make deploy`: `sam build` then `sam deploy`, nothing more (docs/operations.md). Needs AWS
# credentials for the target account (a profile or the AWS_* variables) and the tools of
# `make venv` and `make lambda-tools`, which `make deploy` installs first.
#
# Where the stack's parameters come from, first match wins:
#   1. $DEPLOY_PARAMS (default infra/parameters.yaml): a YAML map of parameter values, the
#      IRMA server's public key as a block scalar (infra/parameters.example.yaml);
#   2. the parameter_overrides a previous guided run saved in samconfig.toml;
#   3. otherwise guided mode: SAM asks for each parameter and offers to save the answers.
# ARCH (arm64 or x86_64) is the one value taken from the make command line, because it must
# be the same for the build and the stack: it is appended after the other parameters.
set -euo pipefail
cd "$(dirname "$0")/.."

ARCH=${ARCH:-arm64}
CONFIG_ENV=${SAM_CONFIG_ENV:-default}
PARAMS=${DEPLOY_PARAMS:-infra/parameters.yaml}
export PATH="$PWD/.venv/bin:$PATH" SAM_CLI_TELEMETRY=0

case "$ARCH" in
  arm64 | x86_64) ;;
  *) echo "deploy: ARCH must be arm64 or x86_64" >&2; exit 2 ;;
esac

saved_overrides() { # the parameter_overrides guided mode saved for this config env, if any
  python - "$CONFIG_ENV" <<'PY'
import sys, tomllib
env = sys.argv[1]
with open("samconfig.toml", "rb") as f:
    config = tomllib.load(f)
print(config.get(env, {}).get("deploy", {}).get("parameters", {}).get("parameter_overrides", ""))
PY
}

# SAM's work folders under target/ (ignored by git, next to cargo's cache) instead of .aws-sam/.
# The deploy names the built template explicitly: given the source template.yaml, SAM would
# upload the source folders as the functions' code.
BUILD_DIR=target/sam/build
sam build --config-env "$CONFIG_ENV" --build-dir "$BUILD_DIR" --cache-dir target/sam/cache \
  --parameter-overrides "Architecture=$ARCH"
deploy=(sam deploy --config-env "$CONFIG_ENV" --template-file "$BUILD_DIR/template.yaml")

if [ -f "$PARAMS" ]; then
  echo "deploy: parameters from $PARAMS"
  "${deploy[@]}" --parameter-overrides "file://$PWD/$PARAMS" "Architecture=$ARCH"
elif saved=$(saved_overrides) && [ -n "$saved" ]; then
  echo "deploy: parameters saved in samconfig.toml [$CONFIG_ENV.deploy.parameters]"
  "${deploy[@]}" --parameter-overrides "$saved" "Architecture=$ARCH"
else
  echo "deploy: no $PARAMS and no saved parameters: guided mode"
  "${deploy[@]}" --guided --parameter-overrides "Architecture=$ARCH"
fi

cat <<EOF

Deployed. Next, if not done yet (docs/operations.md):
  make put-key          # the private key into the stack's secret (issuance-request starts once it is there)
  make irma-config      # this issuer's entry for the IRMA server's requestors map
EOF
