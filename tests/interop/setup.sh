#!/usr/bin/env bash
# Installs the official Azure IoT SDKs (Python and Node) into target/interop, once.
# Idempotent: a stamp holding the hash of the requirement files skips work already done.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${DMCTL_INTEROP_DIR:-$root/target/interop}"
mkdir -p "$out"

stamp="$out/.stamp"
want="$(cat "$here/requirements.txt" "$here/package.json" "$here/package-lock.json" 2>/dev/null | sha256sum | cut -d' ' -f1 || true)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -x "$out/venv/bin/python" && -d "$out/node/node_modules" ]]; then
  exit 0
fi

echo "interop setup: creating Python venv in $out/venv" >&2
rm -rf "$out/venv"
python3 -m venv "$out/venv"
"$out/venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt" >&2

echo "interop setup: installing Node SDKs in $out/node" >&2
mkdir -p "$out/node"
cp "$here/package.json" "$out/node/package.json"
if [[ -f "$here/package-lock.json" ]]; then
  cp "$here/package-lock.json" "$out/node/package-lock.json"
  (cd "$out/node" && npm ci --no-audit --no-fund --loglevel=error >&2)
else
  (cd "$out/node" && npm install --no-audit --no-fund --loglevel=error >&2)
fi

echo "$want" > "$stamp"
echo "interop setup: done" >&2
