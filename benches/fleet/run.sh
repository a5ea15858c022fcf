#!/usr/bin/env bash
# Fleet benchmark: dmctl (client-side fan-out and --via-job) beside a plain loop over the official
# Python service SDK (benches/fleet/sdk_loop.py), in one run, on the local hub with simulated
# agents. Prints a Markdown table to stdout; progress goes to stderr. Everything stays on 127.0.0.1.
#
#   benches/fleet/run.sh                       # 500 and 1,000 devices
#   SIZES="500" SDK_REBOOT_SAMPLE=20 benches/fleet/run.sh
#
# Environment:
#   DMCTL              the dmctl binary to measure (default: target/debug/dmctl; build it first)
#   DMCTL_BEFORE       optional second binary (e.g. main's) measured the same way, for before/after
#   HUB_DMCTL          the binary that serves the hub and runs the simulated agents (default: DMCTL),
#                      e.g. a release build, so that both dmctl binaries meet the same hub and agents
#   SIZES              fleet sizes (default "500 1000")
#   CONCURRENCY        dmctl --concurrency for info (default 64)
#   REBOOT_CONCURRENCY dmctl --concurrency for reboot --wait (default 256: a device holds its slot
#                      while it reboots, 3 s on a simulated device)
#   SDK_REBOOT_SAMPLE  devices the SDK loop reboots (default 30): a sequential loop takes the same
#                      time for each device (the simulated reboot lasts 3 s), so its time for the
#                      whole fleet is its time per device times the fleet size; the table says so
#   PYTHON             Python with azure-iot-hub (default: target/interop/venv/bin/python, installed
#                      by tests/interop/setup.sh)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dmctl="${DMCTL:-$root/target/debug/dmctl}"
before="${DMCTL_BEFORE:-}"
infra="${HUB_DMCTL:-$dmctl}"
sizes="${SIZES:-500 1000}"
concurrency="${CONCURRENCY:-64}"
reboot_concurrency="${REBOOT_CONCURRENCY:-256}"
sample="${SDK_REBOOT_SAMPLE:-30}"
python="${PYTHON:-$root/target/interop/venv/bin/python}"

say() { echo "fleet bench: $*" >&2; }
[[ -x "$dmctl" ]] || { say "no dmctl at $dmctl (cargo build -p dmctl, or set DMCTL)"; exit 1; }
[[ -x "$infra" ]] || { say "no dmctl at $infra (HUB_DMCTL)"; exit 1; }
"$python" -c 'import azure.iot.hub' 2>/dev/null || { say "$python cannot import azure.iot.hub (run tests/interop/setup.sh)"; exit 1; }

work="$(mktemp -d)"
chmod 700 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { "$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc; }

# Runs a dmctl command, checks its exit code, prints the seconds it took.
timed() {
  local want="$1"; shift
  local start code
  start="$(now)"
  set +e
  "$@" >"$work/out.json" 2>"$work/err.txt"
  code=$?
  set -e
  local took
  took="$(elapsed "$start")"
  if [[ "$code" != "$want" ]]; then
    say "exit $code (expected $want) after $took s: $*"
    tail -5 "$work/err.txt" >&2
    # Each failed device's reason, counted (device ids and operation ids folded), so a failed
    # run says why.
    "$python" - "$work/out.json" >&2 <<'PY' || true
import collections, json, re, sys
results = json.load(open(sys.argv[1])).get("results", [])
reasons = collections.Counter(
    re.sub(r"'[^']*'", "'…'", r["error"]["message"]) for r in results if not r.get("ok"))
for reason, count in reasons.most_common():
    print(f"fleet bench:   {count} × {reason}")
PY
    exit 1
  fi
  echo "$took"
}

echo "| devices | operation | how | seconds | SDK loop ÷ this |"
echo "|---:|---|---|---:|---:|"
for size in $sizes; do
  hub_dir="$work/hub-$size"
  https="$(free_port)"; mqtt="$(free_port)"
  say "$size devices: starting the hub (https $https, mqtt $mqtt)"
  say "$size devices: load average $(cut -d' ' -f1-3 /proc/loadavg)"
  "$infra" hub serve --data-dir "$hub_dir" --https-port "$https" --mqtt-port "$mqtt" >"$work/hub-$size.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 300); do
    grep -q "listening" "$work/hub-$size.log" && break
    sleep 0.2
  done
  IOTHUB_CONNECTION_STRING="$("$infra" hub connection-string --data-dir "$hub_dir")"
  export IOTHUB_CONNECTION_STRING DMCTL_CA_FILE="$hub_dir/ca.pem" REQUESTS_CA_BUNDLE="$hub_dir/ca.pem"
  say "$size devices: starting the simulated agents"
  "$infra" simulate --count "$size" --prefix "b$size-" --create --gateway "localhost:$mqtt" \
    --sandbox-dir "$work/sandboxes-$size" >"$work/sim-$size.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 600); do
    n="$("$dmctl" query "SELECT COUNT() AS n FROM devices WHERE IS_DEFINED(properties.reported.dm.agent)" -o json 2>/dev/null \
      | "$python" -c 'import json,sys; print(json.load(sys.stdin)[0]["n"])' 2>/dev/null || echo 0)"
    [[ "$n" == "$size" ]] && break
    sleep 0.5
  done
  [[ "$n" == "$size" ]] || { say "only $n of $size agents reported"; exit 1; }

  say "$size devices: SDK loop, dm.info.get on every device"
  sdk_info="$("$python" "$here/sdk_loop.py" info '*' | "$python" -c 'import json,sys; r=json.load(sys.stdin); assert r["ok"]==r["devices"], r; print(r["seconds"])')"
  say "$size devices: SDK loop, reboot and confirm on $sample devices"
  sdk_reboot_sample="$("$python" "$here/sdk_loop.py" reboot '*' "$sample" | "$python" -c 'import json,sys; r=json.load(sys.stdin); assert r["ok"]==r["devices"], r; print(r["seconds"])')"
  sdk_reboot="$(echo "$sdk_reboot_sample / $sample * $size" | bc -l)"

  row() { printf '| %s | %s | %s | %.2f | %s |\n' "$size" "$1" "$2" "$3" "$4"; }
  # One decimal below 10× (a via-job run slower than the loop shows 0.4×, not 0×).
  ratio() {
    local r
    r="$(echo "$1 / $2" | bc -l)"
    if (( $(echo "$r < 10" | bc -l) )); then printf '%.1f×' "$r"; else printf '%.0f×' "$r"; fi
  }
  row info "SDK loop (one call after the other)" "$sdk_info" "1×"
  row "reboot + confirm" "SDK loop ($sample devices measured: $(printf '%.2f' "$sdk_reboot_sample") s; × $size/$sample)" "$sdk_reboot" "1×"
  for binary in "$dmctl" $before; do
    label="dmctl"
    [[ "$binary" == "$before" ]] && label="dmctl before"
    say "$size devices: $label info"
    t="$(timed 0 "$binary" info --query '*' --concurrency "$concurrency" -o json)"
    row info "$label, --concurrency $concurrency" "$t" "$(ratio "$sdk_info" "$t")"
    if [[ "$binary" == "$dmctl" ]]; then
      say "$size devices: $label info --via-job"
      t="$(timed 0 "$binary" info --query '*' --via-job -o json)"
      row info "$label --via-job" "$t" "$(ratio "$sdk_info" "$t")"
    fi
    say "$size devices: $label reboot --wait"
    t="$(timed 0 "$binary" reboot --query '*' --yes --wait --concurrency "$reboot_concurrency" -o json)"
    row "reboot + confirm" "$label, --concurrency $reboot_concurrency" "$t" "$(ratio "$sdk_reboot" "$t")"
    if [[ "$binary" == "$dmctl" ]]; then
      say "$size devices: $label reboot --wait --via-job"
      t="$(timed 0 "$binary" reboot --query '*' --yes --wait --via-job --concurrency "$reboot_concurrency" -o json)"
      row "reboot + confirm" "$label --via-job" "$t" "$(ratio "$sdk_reboot" "$t")"
    fi
  done
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  pids=()
done
