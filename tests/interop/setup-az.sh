#!/usr/bin/env bash
# Installs the Azure CLI with its IoT extension (the most used client of IoT Hub) for the az
# interop tests (tests/tests/az.rs) into target/interop:
#   target/interop/az/venv    azure-cli==2.77.0 from PyPI (the newest release that loads the
#                             azure-iot 0.25.0 extension unmodified; see ../shared/peers/README.md)
#   target/interop/az/config  AZURE_CONFIG_DIR with the extension added and telemetry off
# The extension comes from the wheel named by DMCTL_AZ_IOT_WHEEL (`.ci/run` points it at
# ../shared/peers/azure_iot-0.25.0-py3-none-any.whl when present) or, where the Azure CLI's
# extension index is reachable, by name (`az extension add --name azure-iot`).
#
# Exit codes: 0 installed (or already up to date), 3 no way to get the extension here (the
# caller skips, or fails under CI=true), 1 anything else. Idempotent: a stamp holding the hash of
# the inputs skips work already done; a flock keeps two runs apart. Progress goes to stderr.
# DMCTL_INTEROP_DIR overrides the install directory (as for setup.sh).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${DMCTL_INTEROP_DIR:-$root/target/interop}/az"
cli_version="2.77.0"
extension_version="0.25.0"

say() { echo "az setup: $*" >&2; }
command -v python3 >/dev/null 2>&1 || { say "python3 is required but not on PATH"; exit 1; }
command -v sha256sum >/dev/null 2>&1 || { say "sha256sum is required but not on PATH"; exit 1; }

wheel="${DMCTL_AZ_IOT_WHEEL:-}"
if [[ -n "$wheel" ]]; then
  [[ "$wheel" = /* ]] || wheel="$root/$wheel"
  if [[ ! -f "$wheel" ]]; then
    say "DMCTL_AZ_IOT_WHEEL names $wheel, which does not exist"
    exit 3
  fi
  source_id="wheel $(sha256sum "$wheel" | cut -d' ' -f1)"
else
  source_id="index azure-iot==$extension_version"
fi

mkdir -p "$out"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$out/.lock"
  flock 9
fi

stamp="$out/.stamp"
# The stamp holds the hash of this script and where the extension came from. Without
# DMCTL_AZ_IOT_WHEEL an install made from a wheel earlier is kept (the same version either way).
script_hash="$(sha256sum "$here/setup-az.sh" | cut -d' ' -f1)"
want="$script_hash $source_id"
if [[ -f "$stamp" && -x "$out/venv/bin/az" ]]; then
  have="$(cat "$stamp")"
  if [[ "$have" == "$want" || ( -z "$wheel" && "${have%% *}" == "$script_hash" ) ]]; then
    say "up to date in $out"
    exit 0
  fi
fi
rm -f "$stamp"

if [[ ! -x "$out/venv/bin/az" ]] || ! "$out/venv/bin/python" -c "import importlib.metadata as m; assert m.version('azure-cli') == '$cli_version'" 2>/dev/null; then
  say "installing azure-cli==$cli_version into $out/venv (~2 min, ~800 MB)"
  rm -rf "$out/venv"
  if ! python3 -m venv "$out/venv"; then
    say "python3 -m venv failed (on Debian/Ubuntu install python3-venv)"
    exit 1
  fi
  "$out/venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
    "azure-cli==$cli_version" >&2
fi

export AZURE_CONFIG_DIR="$out/config"
mkdir -p "$AZURE_CONFIG_DIR"
az="$out/venv/bin/az"
# No prompts to install extensions on the fly, no telemetry upload, no survey messages.
"$az" config set extension.use_dynamic_install=no core.collect_telemetry=false \
  core.survey_message=false core.only_show_errors=true >/dev/null
"$az" extension remove --name azure-iot >/dev/null 2>&1 || true
if [[ -n "$wheel" ]]; then
  say "adding the IoT extension from $wheel"
  "$az" extension add --source "$wheel" --yes >&2
elif ! "$az" extension add --name azure-iot --version "$extension_version" --yes >&2; then
  say "the IoT extension could not be added: set DMCTL_AZ_IOT_WHEEL to a local azure_iot wheel" \
    "(../shared/peers/azure_iot-$extension_version-py3-none-any.whl) or allow the extension index"
  exit 3
fi
got="$("$az" extension show --name azure-iot --query version -o tsv)"
if [[ "$got" != "$extension_version" ]]; then
  say "expected azure-iot $extension_version, got $got"
  exit 1
fi

echo "$want" >"$stamp"
say "done"
