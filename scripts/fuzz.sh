#!/usr/bin/env bash
# Runs the cargo-fuzz targets in fuzz/ (HARDENING.md, "Fuzzing").
#
#   scripts/fuzz.sh                 every target, 60 s each
#   scripts/fuzz.sh all 20          every target, 20 s each (what .ci/run does)
#   scripts/fuzz.sh query 3600      one target for an hour
#   scripts/fuzz.sh --list          the targets
#
# Needs: a nightly toolchain (`rustup toolchain install nightly`) or, without one, the stable
# compiler with RUSTC_BOOTSTRAP=1 (libFuzzer's sanitizer flags are nightly-only); cargo-fuzz
# (installed here with `cargo install cargo-fuzz --locked` when missing); a C++ compiler for
# libFuzzer itself. The corpus grows in fuzz/corpus/TARGET (not committed); the seeds in
# fuzz/seeds/TARGET are inputs taken from the test suite. A crash is saved under
# fuzz/artifacts/TARGET and makes this script exit non-zero: turn it into a regression test in
# the crate that owns the parser, then fix it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

target="${1:-all}"
seconds="${2:-60}"

if ! command -v cargo-fuzz >/dev/null 2>&1; then
    echo "fuzz: installing cargo-fuzz (cargo install cargo-fuzz --locked)" >&2
    cargo install cargo-fuzz --locked
fi

toolchain=()
if rustup run nightly rustc --version >/dev/null 2>&1; then
    toolchain=(+nightly)
    echo "fuzz: using $(rustup run nightly rustc --version)" >&2
else
    # The documented bootstrap switch: lets the stable compiler accept -Z flags.
    export RUSTC_BOOTSTRAP=1
    echo "fuzz: no nightly toolchain; using $(rustc --version) with RUSTC_BOOTSTRAP=1" >&2
fi

targets=$(cd fuzz && cargo "${toolchain[@]}" fuzz list)
if [[ "$target" == "--list" ]]; then
    echo "$targets"
    exit 0
fi
if [[ "$target" != "all" ]] && ! grep -qx "$target" <<<"$targets"; then
    echo "fuzz: no target named '$target'; the targets are:" >&2
    echo "$targets" >&2
    exit 2
fi
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "fuzz: SECONDS must be a whole number, got '$seconds'" >&2; exit 2; }

cd fuzz
cargo "${toolchain[@]}" fuzz build >&2
status=0
for t in $targets; do
    [[ "$target" == "all" || "$target" == "$t" ]] || continue
    mkdir -p "corpus/$t" "seeds/$t"
    log=$(mktemp)
    # -print_final_stats gives the execution count that HARDENING.md records.
    if cargo "${toolchain[@]}" fuzz run "$t" "corpus/$t" "seeds/$t" -- \
        -max_total_time="$seconds" -print_final_stats=1 -rss_limit_mb=2048 >"$log" 2>&1; then
        outcome=ok
    else
        outcome=CRASH
        status=1
        tail -40 "$log" >&2
    fi
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    printf 'fuzz: %-20s %-5s %12s executions in %ss (corpus %s inputs)\n' \
        "$t" "$outcome" "$execs" "$seconds" "$(ls "corpus/$t" | wc -l)"
    rm -f "$log"
done
exit $status
