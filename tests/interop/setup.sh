#!/usr/bin/env bash
# Installs the official Azure IoT SDKs used by the interop tests into target/interop:
#   target/interop/venv          Python venv with requirements.txt
#   target/interop/node          node_modules from package.json + package-lock.json (npm ci)
# Idempotent: a stamp holding the hash of the inputs skips work already done, so the Rust test
# driver runs it every time. Needs python3 (with venv), node and npm, and access to PyPI and npm.
# Progress goes to stderr. DMCTL_INTEROP_DIR overrides the install directory.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${DMCTL_INTEROP_DIR:-$root/target/interop}"

say() { echo "interop setup: $*" >&2; }
need() { command -v "$1" >/dev/null 2>&1 || { say "$1 is required but not on PATH"; exit 1; }; }
need python3
need node
need npm
need sha256sum

stamp="$out/.stamp"
want="$(cat "$here/setup.sh" "$here/requirements.txt" "$here/package.json" "$here/package-lock.json" | sha256sum | cut -d' ' -f1)"
up_to_date() {
  [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -x "$out/venv/bin/python" && -d "$out/node/node_modules" ]]
}
# An installation that is already complete is only read: another user (the interop test run
# without root, e.g. `.ci/run`'s unprivileged pass) may use SDKs that root installed.
if up_to_date; then
  say "up to date in $out"
  exit 0
fi

if ! mkdir -p "$out" 2>/dev/null || [[ ! -w "$out" ]]; then
  say "cannot write to $out (owned by $(stat -c %U "$out" 2>/dev/null || echo another user)); run this once as its owner or set DMCTL_INTEROP_DIR to a directory you own"
  exit 1
fi
# Two test runs starting at once must not install into the same directories concurrently.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$out/.lock"
  flock 9
  # The run that held the lock may have just finished the installation.
  if up_to_date; then
    say "up to date in $out"
    exit 0
  fi
fi
# Anything half-done from an interrupted run is redone from scratch.
rm -f "$stamp"

say "creating the Python venv in $out/venv"
rm -rf "$out/venv"
if ! python3 -m venv "$out/venv"; then
  say "python3 -m venv failed (on Debian/Ubuntu install python3-venv)"
  exit 1
fi
say "installing $(grep -c '==' "$here/requirements.txt") pinned Python packages from requirements.txt"
# uamqp only as a wheel: building it from source needs cmake and a C toolchain and takes minutes;
# better a clear "no matching distribution" than that.
"$out/venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
  --only-binary=uamqp -r "$here/requirements.txt" >&2

say "installing the Node SDKs in $out/node (npm ci)"
rm -rf "$out/node"
mkdir -p "$out/node"
cp "$here/package.json" "$here/package-lock.json" "$out/node/"
(cd "$out/node" && npm ci --no-audit --no-fund --loglevel=error >&2)

echo "$want" >"$stamp"
say "done"
