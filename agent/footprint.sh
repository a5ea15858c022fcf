#!/usr/bin/env bash
# The agent's footprint on a device: binary size (as built and stripped) and resident memory
# while connected to a hub and idle. Starts a local hub (`dmctl hub serve` on ephemeral ports,
# in a temporary directory), creates a device, runs `dm-agent run` against it with the sandbox
# providers, waits until it is connected, lets it idle, then reads /proc/PID/status.
#
#   agent/footprint.sh DM_AGENT [DMCTL] [IDLE_SECONDS]
#   agent/footprint.sh target/dist/dm-agent target/debug/dmctl 30
#
# FOOTPRINT_TRUST=platform trusts the hub as a device trusts a real hub: no `hub.ca_file`, the
# hub's CA appended to the system bundle and given as SSL_CERT_FILE (the platform store is then
# read and kept for the connection).
#
# Prints one Markdown table row per measure on stdout; progress on stderr. Everything stays on
# 127.0.0.1 and is removed at the end.
set -euo pipefail

agent="$(realpath "${1:?usage: footprint.sh DM_AGENT [DMCTL] [IDLE_SECONDS]}")"
dmctl="$(realpath "${2:-target/debug/dmctl}")"
idle="${3:-30}"

dir="$(mktemp -d)"
hub_pid=""
agent_pid=""
cleanup() {
    [ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null
    [ -n "$hub_pid" ] && kill "$hub_pid" 2>/dev/null && wait "$hub_pid" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT
cd "$dir"
chmod 700 .

mkdir -m 700 hub
"$dmctl" hub serve --data-dir hub --https-port 0 --mqtt-port 0 > hub.out 2> hub.err &
hub_pid=$!
for _ in $(seq 100); do
    [ -s hub/endpoint.json ] && break
    sleep 0.2
done
[ -s hub/endpoint.json ] || { cat hub.err >&2; echo "footprint: the hub did not start" >&2; exit 1; }
mqtt_port="$(sed -nE 's/.*"mqttPort": *([0-9]+).*/\1/p' hub/endpoint.json)"
(umask 077 && "$dmctl" hub connection-string --data-dir hub --device footprint --create > cs)

ca_line="ca_file = \"$dir/hub/ca.pem\""
if [ "${FOOTPRINT_TRUST:-ca_file}" = platform ]; then
    ca_line=""
    mkdir -m 700 roots
    cat /etc/ssl/certs/ca-certificates.crt hub/ca.pem > roots/bundle.pem
    export SSL_CERT_FILE="$dir/roots/bundle.pem" SSL_CERT_DIR="$dir/roots"
fi
cat > agent.toml <<EOF
[hub]
connection_string_file = "$dir/cs"
gateway_host_name = "localhost:$mqtt_port"
$ca_line
[agent]
state_dir = "$dir/state"
backend = "sandbox"
sandbox_dir = "$dir/sandbox"
[leases]
socket = "$dir/busy.sock"
EOF

"$agent" run --config agent.toml > agent.out 2> agent.err &
agent_pid=$!
for _ in $(seq 150); do
    grep -q 'connected to the hub' agent.err && break
    sleep 0.2
done
grep -q 'connected to the hub' agent.err ||
    { cat agent.err >&2; echo "footprint: the agent did not connect" >&2; exit 1; }
echo "footprint: connected; idling ${idle}s" >&2
sleep "$idle"

status="/proc/$agent_pid/status"
kib() { sed -nE "s/^$1:[[:space:]]+([0-9]+) kB/\1/p" "$status"; }
cp "$agent" stripped
strip stripped
size="$(stat -c %s "$agent")"
stripped="$(stat -c %s stripped)"
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
echo "| binary, as built | $size bytes ($(mib "$size")) |"
echo "| binary, stripped | $stripped bytes ($(mib "$stripped")) |"
echo "| idle RSS after ${idle} s connected (VmRSS) | $(kib VmRSS) KiB ($(kib RssAnon) anonymous, $(kib RssFile) file-backed) |"
echo "| peak RSS (VmHWM) | $(kib VmHWM) KiB |"
echo "| threads | $(sed -nE 's/^Threads:[[:space:]]+//p' "$status") |"
