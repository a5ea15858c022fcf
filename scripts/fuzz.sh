#!/usr/bin/env bash
# Runs the cargo-fuzz targets in fuzz/ (HARDENING.md, "Fuzzing").
#
#   scripts/fuzz.sh                   every target, 60 s each
#   scripts/fuzz.sh all 5             every target, 5 s each (what .ci/run does)
#   scripts/fuzz.sh query 3600        one target for an hour
#   scripts/fuzz.sh --build           build the targets only (what a scheduled CI job checks)
#   scripts/fuzz.sh --list            the targets
#
# Environment: FUZZ_NICE=10 runs the fuzzer under `nice -n 10` (a shared machine);
# FUZZ_JOBS=N runs N workers per target (libFuzzer -fork; executions are summed);
# FUZZ_LIGHT=1 builds without the hub and agent targets (`--no-default-features`, its own
# target directory fuzz/target-light): the auth, model and contract parsers from ~80 crates
# instead of ~300, for a quick run;
# FUZZ_SANITIZER=address builds with AddressSanitizer. The default is `none`: the project's
# code is safe Rust (ASan finds memory errors, which only unsafe code can make; panics,
# overflows and failed assertions are caught without it), and without it the build is cheaper
# and each target runs about twice as many executions in the same time.
#
# What it needs, and what it does when something is missing:
#   * a nightly toolchain (libFuzzer's coverage flags are -Z flags): used when
#     `rustup run nightly` works; otherwise it tries `rustup toolchain install nightly
#     --profile minimal`; without rustup or a registry it falls back to the stable compiler
#     with RUSTC_BOOTSTRAP=1 (the documented switch that lets stable accept -Z flags);
#   * cargo-fuzz: installed with `cargo install cargo-fuzz --locked` when missing;
#   * a C++ compiler (libfuzzer-sys builds libFuzzer itself): `apt-get install g++` if absent.
#
# The corpus grows in fuzz/corpus/TARGET (not committed); fuzz/seeds/TARGET holds inputs taken
# from the test suite. Every run appends its execution count to fuzz/executions.tsv (the
# cumulative table HARDENING.md reports). A crash is saved under fuzz/artifacts/TARGET and
# makes this script exit 1: turn it into a regression test in the crate that owns the parser,
# then fix it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

target="${1:-all}"
seconds="${2:-60}"
nice_level="${FUZZ_NICE:-0}"
jobs="${FUZZ_JOBS:-1}"
sanitizer="${FUZZ_SANITIZER:-none}"

say() { echo "fuzz: $*" >&2; }

build_opts=()
binaries=target
if [[ "${FUZZ_LIGHT:-0}" == 1 ]]; then
    build_opts=(--no-default-features --target-dir target-light)
    binaries=target-light
fi

if ! command -v c++ >/dev/null 2>&1; then
    say "needs a C++ compiler to build libFuzzer: install one (Debian: apt-get install g++)"
    exit 2
fi

if ! command -v cargo-fuzz >/dev/null 2>&1; then
    say "cargo-fuzz is missing; installing it (cargo install cargo-fuzz --locked)"
    cargo install cargo-fuzz --locked || {
        say "could not install cargo-fuzz: run 'cargo install cargo-fuzz --locked' where crates.io is reachable"
        exit 2
    }
fi

toolchain=()
if rustup run nightly rustc --version >/dev/null 2>&1; then
    toolchain=(+nightly)
elif command -v rustup >/dev/null 2>&1 && rustup toolchain install nightly --profile minimal >&2; then
    toolchain=(+nightly)
else
    # The documented bootstrap switch: lets the stable compiler accept -Z flags.
    export RUSTC_BOOTSTRAP=1
    say "no nightly toolchain (install one with 'rustup toolchain install nightly --profile minimal'); using the stable compiler with RUSTC_BOOTSTRAP=1"
fi
say "using $(rustc "${toolchain[@]}" --version)"

targets=$(cd fuzz && cargo "${toolchain[@]}" fuzz list)
case "$target" in
    --list) echo "$targets"; exit 0 ;;
    --build)
        cd fuzz
        exec cargo "${toolchain[@]}" fuzz build --sanitizer "$sanitizer" "${build_opts[@]}" ;;
    all) ;;
    *)
        if ! grep -qx "$target" <<<"$targets"; then
            say "no target named '$target'; the targets are:"
            echo "$targets" >&2
            exit 2
        fi ;;
esac
[[ "$seconds" =~ ^[0-9]+$ && "$seconds" -gt 0 ]] || { say "SECONDS must be a whole number above 0, got '$seconds'"; exit 2; }
[[ "$jobs" =~ ^[0-9]+$ && "$jobs" -gt 0 ]] || { say "FUZZ_JOBS must be a whole number above 0, got '$jobs'"; exit 2; }

cd fuzz
build_start=$(date +%s)
if [[ "$target" == "all" ]]; then
    cargo "${toolchain[@]}" fuzz build --sanitizer "$sanitizer" "${build_opts[@]}" >&2
else
    cargo "${toolchain[@]}" fuzz build --sanitizer "$sanitizer" "${build_opts[@]}" "$target" >&2
fi
say "build took $(( $(date +%s) - build_start )) s"

commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
table="$root/fuzz/executions.tsv"
[[ -f "$table" ]] || printf 'date\tcommit\ttarget\tseconds\texecutions\toutcome\n' >"$table"

fork=()
[[ "$jobs" -gt 1 ]] && fork=(-fork="$jobs" -ignore_crashes=0)

status=0
for t in $targets; do
    [[ "$target" == "all" || "$target" == "$t" ]] || continue
    if [[ ! -x "$binaries/x86_64-unknown-linux-gnu/release/$t" ]]; then
        say "$t was not built (FUZZ_LIGHT leaves out the hub and agent targets); skipped"
        continue
    fi
    mkdir -p "corpus/$t" "seeds/$t"
    log="$root/fuzz/last-$t.log"
    # -timeout: an input that takes longer than this is a hang, reported as a crash.
    if nice -n "$nice_level" cargo "${toolchain[@]}" fuzz run --sanitizer "$sanitizer" "${build_opts[@]}" "$t" \
        "corpus/$t" "seeds/$t" -- \
        -max_total_time="$seconds" -print_final_stats=1 -rss_limit_mb=2048 -timeout=20 \
        "${fork[@]}" >"$log" 2>&1; then
        outcome=ok
    else
        outcome=CRASH
        status=1
        tail -60 "$log" >&2
    fi
    # libFuzzer's own count: the final stats (`stat::number_of_executed_units`), else `Done N
    # runs`, else the last `#N` status line (what the -fork coordinator prints).
    execs=$(awk '/^stat::number_of_executed_units:/ {n += $2; found = 1} END {if (found) print n}' "$log")
    [[ -n "$execs" ]] || execs=$(awk '/^Done [0-9]+ runs/ {n += $2; found = 1} END {if (found) print n}' "$log")
    [[ -n "$execs" ]] || execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)
    execs=${execs:-0}
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%MZ)" "$commit" "$t" "$seconds" "$execs" "$outcome" >>"$table"
    printf 'fuzz: %-18s %-5s %12s executions in %ss (corpus %s inputs)\n' \
        "$t" "$outcome" "$execs" "$seconds" "$(find "corpus/$t" -type f | wc -l)"
done
exit $status
