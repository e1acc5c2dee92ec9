#!/usr/bin/env bash
# Runs schemathesis (an outside OpenAPI client) against every generated crate's mock server on
# loopback: MockApi behind the generated validation. Bounded in examples and time per spec.
# Usage: .ci/schemathesis.sh [max-examples]   (needs `st` on PATH; .ci/run installs it in a virtualenv)
# One worker: with two, schemathesis runs Hypothesis in two threads, and Hypothesis' lambda-source
# cache raced once in CI (a FlakyFailure inside schemathesis' own data generation, no request sent).
set -uo pipefail
cd "$(dirname "$0")/.."
max_examples="${1:-25}"
checks="not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection,missing_required_header,ignored_auth"
port=18200
failed=0
for spec in specs/*.yaml; do
  name=$(basename "$spec" .yaml)
  port=$((port + 1))
  cargo build -q -p "$name" --features server --example "$name-mock" || { echo "build of $name failed"; failed=1; continue; }
  "target/debug/examples/$name-mock" --port "$port" 2>/dev/null &
  pid=$!
  for _ in $(seq 1 50); do
    (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
  echo "== schemathesis: $spec"
  # Credentials the mock accepts (runtime::auth::TEST_*), in the form each security scheme takes.
  mapfile -t auth < <(python3 - "$spec" <<'PY'
import sys, yaml
schemes = (yaml.safe_load(open(sys.argv[1])).get("components") or {}).get("securitySchemes") or {}
args, authorization = [], False
for scheme in schemes.values():
    kind = scheme.get("type")
    if kind == "apiKey" and scheme.get("in") == "header":
        args += ["-H", f"{scheme['name']}: test-credential"]
        authorization |= scheme["name"].lower() == "authorization"
    elif kind == "http" and scheme.get("scheme", "").lower() == "basic" and not authorization:
        args += ["-a", "test-user:test-password"]
        authorization = True
    elif (kind in ("oauth2", "openIdConnect") or scheme.get("scheme", "").lower() == "bearer") and not authorization:
        args += ["-H", "Authorization: Bearer test-credential"]
        authorization = True
if args:
    print("\n".join(args))
PY
)
  if ! timeout 600 st run "$spec" "${auth[@]}" --url "http://127.0.0.1:$port" --checks "$checks" \
      --max-examples "$max_examples" --phases examples,coverage,fuzzing --workers 1 \
      --seed 1 --no-color; then
    failed=1
  fi
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
done
exit "$failed"
