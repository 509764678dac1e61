#!/usr/bin/env bash
# Builds proxy_bench and the service in Release into build-bench/ and runs the benchmarks
# (docs/BENCHMARKS.md explains each figure). Needs nginx and wrk: scripts/deps.sh bench.
#
#   BENCH_BUILD_DIR   default build-bench
#   BENCH_JOBS        build parallelism (default: nproc)
#   BENCH_ARGS        extra arguments for proxy_bench, e.g. "--only=latency,stream --requests=5000"
#
# The machine should be otherwise idle: the figures compare the proxy with direct access and
# with nginx in the same run, but a busy machine still widens every tail.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD=${BENCH_BUILD_DIR:-$ROOT/build-bench}
JOBS=${BENCH_JOBS:-$(nproc 2>/dev/null || echo 2)}

if [ ! -f "$BUILD/build.ninja" ]; then
	cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release \
		-DCCC_BUILD_WASM=OFF -DCCC_BUILD_TESTS=ON -DCCC_BUILD_BENCH=ON
fi
cmake --build "$BUILD" -j "$JOBS" --target claude-code-companion proxy_bench tagging_bench convert_bench store_bench

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
# 512 streams need 512 client + 512 fake-upstream threads and as many sockets in this process.
ulimit -n 8192 2>/dev/null || true
# shellcheck disable=SC2086
"$BUILD/bin/tagging_bench" "$ROOT/tests/data"
"$BUILD/bin/convert_bench" "$ROOT/tests/data"
"$BUILD/bin/store_bench" "$ROOT/tests/data"
exec "$BUILD/bin/proxy_bench" ${BENCH_ARGS:-}
