#!/usr/bin/env bash
# Builds and runs the example of every DocC getting-started article
# (Sources/<Target>/<Target>.docc/GettingStarted.md): its first ```swift block that starts
# with an import becomes main.swift of a package of its own, depending on this package by
# path, built in the examples' build folder and run from the package root (so that paths
# such as datasets/tiny resolve). Exits 1 when one does not build or exits non-zero.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
identity=$(basename "$root")
products="DataFiles LinearAlgebra LinearProgramming Forecasting ParkModel Storage RunHistory Measurements Reporting Adapters FlexDispatch OpenADRAPI"
status=0
for article in Sources/*/*.docc/GettingStarted.md; do
  target=$(basename "$(dirname "$(dirname "$article")")")
  dir=.build-examples/doc-examples/$target
  rm -rf "$dir" && mkdir -p "$dir/Sources/${target}Example"
  python3 - "$article" "$dir/Sources/${target}Example/main.swift" <<'PY' || { echo "test: $article has no runnable swift block" >&2; status=1; continue; }
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
blocks = [b for b in re.findall(r"```swift\n(.*?)```", text, re.S) if b.lstrip().startswith("import ")]
if not blocks:
    sys.exit(1)
open(sys.argv[2], "w", encoding="utf-8").write(blocks[0])
PY
  deps=""
  for m in $(grep -E '^import [A-Za-z]+' "$dir/Sources/${target}Example/main.swift" | awk '{print $2}' | sort -u); do
    case " $products " in *" $m "*) deps="$deps.product(name: \"$m\", package: \"$identity\"), " ;; esac
  done
  cat > "$dir/Package.swift" <<SWIFT
// swift-tools-version:6.1
import PackageDescription
let package = Package(
    name: "${target}Example",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: "$root")],
    targets: [.executableTarget(name: "${target}Example", dependencies: [$deps])]
)
SWIFT
  log=$(mktemp)
  if ! swift build --package-path "$dir" --scratch-path "$root/.build-examples" >"$log" 2>&1; then
    grep -E 'error:' "$log" | head -20 >&2 || tail -20 "$log" >&2
    echo "test: the example of $article does not build" >&2
    status=1
  elif ! swift run --skip-build --package-path "$dir" --scratch-path "$root/.build-examples" "${target}Example" >"$log" 2>&1; then
    tail -20 "$log" >&2
    echo "test: the example of $article exited with an error" >&2
    status=1
  else
    echo "test: the example of $article built and ran" >&2
  fi
  rm -f "$log"
done
exit "$status"
