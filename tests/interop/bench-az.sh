#!/usr/bin/env bash
# dmctl vs the Azure CLI (`az iot hub …`) for the same four calls on the same local hub, in one
# run: device list, twin show, method invoke, twin patch. Each sample is one whole process run,
# timed from spawn to exit (what a shell script pays per call). Prints a Markdown table with
# medians and the az/dmctl ratio.
#
#   bash tests/interop/setup-az.sh         # once (DMCTL_AZ_IOT_WHEEL=… where the index is unreachable)
#   cargo build -p dmctl                   # the dmctl under test (DMCTL=… to pick another binary)
#   bash tests/interop/bench-az.sh [RUNS]  # default 10 samples per cell
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
runs="${1:-10}"
dmctl="${DMCTL:-$root/target/debug/dmctl}"
azdir="${DMCTL_INTEROP_DIR:-$root/target/interop}/az"
az="$azdir/venv/bin/az"
[[ -x "$dmctl" ]] || { echo "bench-az: build dmctl first ($dmctl)" >&2; exit 1; }
[[ -x "$az" ]] || { echo "bench-az: run tests/interop/setup-az.sh first" >&2; exit 1; }

work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
https_port="$(free_port)"
mqtt_port="$(free_port)"
mkdir -m 700 "$work/hub"
"$dmctl" hub serve --data-dir "$work/hub" --https-port "$https_port" --mqtt-port "$mqtt_port" \
  >"$work/hub.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [[ -f "$work/hub/endpoint.json" ]] && break; sleep 0.1; done
CS="$("$dmctl" hub connection-string --data-dir "$work/hub")"
export IOTHUB_CONNECTION_STRING="$CS" DMCTL_CA_FILE="$work/hub/ca.pem"
export REQUESTS_CA_BUNDLE="$work/hub/ca.pem" AZURE_CONFIG_DIR="$work/azcfg"
export AZURE_EXTENSION_DIR="$azdir/config/cliextensions"
mkdir -p "$AZURE_CONFIG_DIR" && cp "$azdir/config/config" "$AZURE_CONFIG_DIR/config"

# One simulated dm-agent answers the method; nine more devices fill the list.
"$dmctl" simulate --count 1 --prefix bench- --create --gateway "localhost:$mqtt_port" \
  --sandbox-dir "$work/sandbox" -q >"$work/sim.log" 2>&1 &
pids+=($!)
for i in $(seq 2 10); do "$dmctl" device create "bench-$i" -q >/dev/null; done
for _ in $(seq 300); do
  state="$("$dmctl" device show bench-1 -o json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin).get("connectionState",""))' || true)"
  [[ "$state" == "Connected" ]] && break
  sleep 0.2
done
[[ "$state" == "Connected" ]] || { echo "bench-az: the simulated device did not connect" >&2; cat "$work/sim.log" >&2; exit 1; }

median_ms() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.0f", m}'; }
time_runs() { # label, command...
  local samples=()
  "${@:2}" >/dev/null 2>&1 || { echo "bench-az: failed: ${*:2}" >&2; "${@:2}" >&2 || true; exit 1; }  # warm-up
  for _ in $(seq "$runs"); do
    local t0 t1
    t0="$(date +%s%N)"
    "${@:2}" >/dev/null 2>&1
    t1="$(date +%s%N)"
    samples+=("$(( (t1 - t0) / 1000000 ))")
  done
  printf '%s\n' "${samples[@]}" | median_ms
}

echo "| Call | dmctl median | az median | az / dmctl |"
echo "|---|---|---|---|"
row() { # label, dmctl args (one string), az args (one string)
  local d a
  # shellcheck disable=SC2086
  d="$(time_runs "$1" "$dmctl" $2)"
  # shellcheck disable=SC2086
  a="$(time_runs "$1" "$az" $3 --login "$CS")"
  awk -v l="$1" -v d="$d" -v a="$a" 'BEGIN { printf "| %s | %d ms | %d ms | %.0f× |\n", l, d, a, a / d }'
}
row "device list" "device list -o json" "iot hub device-identity list -o json"
row "twin show" "twin show bench-1 -o json" "iot hub device-twin show -d bench-1 -o json"
row "method invoke (dm.info.get)" "method invoke -d bench-1 -n dm.info.get -p {} -o json" \
  "iot hub invoke-device-method -d bench-1 --mn dm.info.get --mp {} -o json"
row "twin patch" "twin patch bench-2 --desired {\"bench\":1} -o json -y" \
  "iot hub device-twin update -d bench-2 --desired {\"bench\":1} -o json"
echo
echo "runs per cell: $runs; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
