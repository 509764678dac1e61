#!/usr/bin/env bash
# Installs the Debian packages a profile needs, only those missing.
#   scripts/deps.sh build   - what `make build` / `make run` need
#   scripts/deps.sh test    - build + what the test suite needs (browser, fuzzing, packaging checks)
#   scripts/deps.sh bench   - build + load tools and nginx for the comparison
#   scripts/deps.sh pg      - only the PostgreSQL server (scripts/pg-test-server.sh)
# As root it runs apt-get; otherwise it prints the exact apt-get line and exits 1, so nothing
# half-works silently.
set -euo pipefail
profile=${1:-build}
build_pkgs=(cmake ninja-build g++ pkg-config git ca-certificates
	libpoco-dev libyaml-cpp-dev nlohmann-json3-dev liblua5.4-dev
	zlib1g-dev libbrotli-dev libzstd-dev libssl-dev
	# xxhash.h: content keys of the bodies the log store keeps once (header-only use)
	libxxhash-dev
	# the log store checks a PostgreSQL server with libpq before Poco connects (service/store/Db.cpp)
	libpq-dev
	# tests and proxy_bench read the SQLite log file directly (the store itself uses Poco::Data)
	libsqlite3-dev
	emscripten
	# the admin's Chinese font, subset at build time (admin-wasm/fonts/make_fonts.py)
	fonts-droid-fallback fonttools
	# the default build also configures the test targets (GoogleTest, from Debian's source too)
	libgtest-dev libgmock-dev googletest)
test_pkgs=(libbenchmark-dev
	chromium clang libclang-rt-14-dev curl procps postgresql
	# packaging checks: systemd-analyze, xmllint, makensis, CPack's .deb (dpkg-shlibdeps) and .rpm
	systemd libxml2-utils nsis dpkg-dev rpm)
bench_pkgs=(nginx wrk)
case "$profile" in
	build) want=("${build_pkgs[@]}") ;;
	test) want=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
	bench) want=("${build_pkgs[@]}" "${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
	pg) want=(postgresql) ;;
	*) echo "usage: $0 build|test|bench|pg" >&2; exit 2 ;;
esac
# node (any >= 18) is needed to run emscripten and the JS test clients; take Debian's when none is there.
if ! command -v node >/dev/null 2>&1 && [ "$profile" != pg ]; then want+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1 && [ "$profile" != build ] && [ "$profile" != pg ]; then want+=(npm); fi
missing=()
for p in "${want[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
line="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "Missing Debian packages. Run as root:" >&2
	echo "  apt-get update && $line" >&2
	exit 1
fi
echo "Installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2 || apt-get update >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
