#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan) into build-fuzz/ and runs each one for a bounded
# time, starting from seed corpora made of the test fixtures. A finding stops the script with a
# non-zero status and leaves the crashing input in build-fuzz/findings/<target>/.
#
#   FUZZ_SECONDS=30     time per target
#   FUZZ_TARGETS="..."  subset (default: all)
#   FUZZ_BUILD_DIR      default build-fuzz
#   FUZZ_JOBS=1         build parallelism
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD=${FUZZ_BUILD_DIR:-$ROOT/build-fuzz}
SECONDS_EACH=${FUZZ_SECONDS:-30}
# Default: every tests/fuzz/<name>_fuzz.cpp.
TARGETS=${FUZZ_TARGETS:-$(for f in "$ROOT"/tests/fuzz/*_fuzz.cpp; do b=$(basename "$f" .cpp); printf '%s ' "${b%_fuzz}"; done)}
JOBS=${FUZZ_JOBS:-1}

command -v clang++ >/dev/null || { echo "fuzz: clang++ not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }

if [ ! -f "$BUILD/build.ninja" ]; then
	CC=clang CXX=clang++ cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DCCC_BUILD_FUZZ=ON -DCCC_BUILD_WASM=OFF -DCCC_BUILD_TESTS=OFF -DCCC_BUILD_BENCH=OFF
fi
cmake --build "$BUILD" -j "$JOBS" --target $(for t in $TARGETS; do printf '%s_fuzz ' "$t"; done)

# Seed corpora: fixtures from tests/data plus a few hand-written inputs per target.
seed() {
	local target=$1 dir=$BUILD/corpus/$1
	mkdir -p "$dir"
	case $target in
	sse_parser|stream_validator)
		find "$ROOT/tests/data" -name '*.sse' -exec cp {} "$dir/" \; 2>/dev/null || true
		printf 'event: ping\r\ndata: {"type":"ping"}\r\n\r\n' > "$dir/crlf.sse"
		printf '\xef\xbb\xbf: comment\ndata: a\ndata: b\nid: 7\nretry: 10\n\n' > "$dir/bom.sse"
		;;
	message_validator)
		find "$ROOT/tests/data" -name '*.json' -exec cp {} "$dir/" \; 2>/dev/null || true
		printf '{"input_tokens":12}' > "$dir/count.json"
		printf 'event: message_start\n' > "$dir/sniff.sse"
		;;
	json_scan)
		find "$ROOT/tests/data" -name '*.json' -exec cp {} "$dir/" \; 2>/dev/null || true
		printf 'messages[-1].content\x01{"model":"m","messages":[{"role":"user","content":"a\\u00e9\\ud83d\\ude00"}],"stream":true}' > "$dir/path.json"
		printf '{"a":[1,-2.5e+3,true,false,null,{"b\\"c":[]}],"d":{}}' > "$dir/mixed.json"
		;;
	*)
		# Other targets (e.g. openai_*): the fixtures of tests/data/<first word>/, as they are and
		# behind a zero byte (targets that read option flags from the first byte).
		local family=${target%%_*}
		if [ -d "$ROOT/tests/data/$family" ]; then
			find "$ROOT/tests/data/$family" -type f -size -256k | while read -r f; do
				cp "$f" "$dir/$(basename "$f")"
				{ printf '\0'; cat "$f"; } > "$dir/flag0-$(basename "$f")"
			done
		fi
		;;
	esac
}

status=0
for t in $TARGETS; do
	seed "$t"
	findings=$BUILD/findings/$t
	mkdir -p "$findings"
	echo "== fuzz $t for ${SECONDS_EACH}s"
	# The corpus directory is both seed and output, so later runs start from what earlier ones found.
	if ! ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		"$BUILD/bin/${t}_fuzz" -max_total_time="$SECONDS_EACH" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
			-print_final_stats=1 -artifact_prefix="$findings/" "$BUILD/corpus/$t" 2>"$findings/log.txt"; then
		echo "fuzz: $t FAILED; see $findings/log.txt and the crash-* input there" >&2
		tail -40 "$findings/log.txt" >&2
		status=1
	else
		grep -E 'stat::number_of_executed_units|cov:' "$findings/log.txt" | tail -2 || true
	fi
done
exit $status
