#!/usr/bin/env bash
# Fails when the committed dist/ differs from a fresh build of src/ and the locked dependencies:
# the runner executes dist/index.js, so a stale dist/ would ship code nobody tested.
set -euo pipefail
cd "$(dirname "$0")/.."
fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
npx ncc build src/index.ts --out "$fresh" --license licenses.txt --target es2022 >/dev/null
if ! diff -r --brief dist "$fresh" >/dev/null; then
  echo "dist/ does not match a fresh build of src/. Run 'npm run build' and commit dist/." >&2
  diff -r dist "$fresh" | head -n 40 >&2 || true
  exit 1
fi
echo "dist/ matches a fresh build."
