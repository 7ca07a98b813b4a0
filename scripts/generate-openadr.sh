#!/usr/bin/env bash
# Regenerates Sources/OpenADRAPI/Generated from ../shared/spec/openadr3/openadr3-3.1.0.yaml
# with swift-openapi-generator 1.14.3 (built once from scripts/openadr-codegen). The output
# is committed: CI never runs this.
set -euo pipefail
cd "$(dirname "$0")/.."
spec="${FLEXDISPATCH_SHARED:-../shared}/spec/openadr3/openadr3-3.1.0.yaml"
[ -f "$spec" ] || { echo "generate-openadr: $spec not found" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 scripts/openadr_spec_patch.py "$spec" "$tmp/openapi.yaml"
(cd scripts/openadr-codegen && swift build -c release --product swift-openapi-generator --scratch-path ../../.build-codegen)
out=Sources/OpenADRAPI/Generated
mkdir -p "$out"
.build-codegen/release/swift-openapi-generator generate "$tmp/openapi.yaml" \
  --config scripts/openadr-codegen/openapi-generator-config.yaml --output-directory "$out"
echo "generate-openadr: wrote $(ls "$out" | tr '\n' ' ')"
