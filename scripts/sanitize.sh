#!/usr/bin/env bash
# Builds nasctl, its plugins and every test suite with AddressSanitizer and
# UndefinedBehaviorSanitizer (GCC, Debug at -O1: assertions on, still fast
# enough to run) in a build folder of its own, runs the CTest suite there and
# prints a summary: how many tests passed, and every sanitizer report.
#
# A documented script, not part of CI: the build alone takes longer than CI's
# budget leaves after the normal suite (docs/results.md, "Sanitizers", has
# the figures and the last result).
#
#   scripts/sanitize.sh                   # the whole suite
#   scripts/sanitize.sh -R '^test_moo'    # arguments go to ctest
#   NASCTL_JOBS=2 scripts/sanitize.sh     # build and test jobs (default: cores)
#   NASCTL_ASAN_BUILD=build-asan2 ...     # another build folder
#
# Every ASan/LSan report, from a test program or a nasctl it starts, is
# written to <build>/sanitizer-logs/ (log_path): a program that checks only
# "exit code non-zero" cannot hide one. UBSan's go to stderr (see below). Exit status: 0 when every test passed and no
# report was written, 1 otherwise.
#
# LibTorch, OpenBLAS and the other Debian libraries are not instrumented:
# ASan still checks every access nasctl's code makes, and LeakSanitizer sees
# every allocation. Leaks that are theirs alone would be suppressed in
# scripts/sanitize-leaks.supp, each entry saying why (none was needed on
# 2026-12-05, docs/results.md); nothing of nasctl's ever is.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${NASCTL_ASAN_BUILD:-build-asan}
jobs=${NASCTL_JOBS:-$(nproc)}
logs="$root/$build/sanitizer-logs"

# halt_on_error: the first finding stops the program, so the test fails.
# log_path: reports go to files as well as failing the test (see above).
# detect_odr_violation=0 is not set: nasctl's own ODR violations count.
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:detect_leaks=1:check_initialization_order=1:log_path=$logs/asan"
export LSAN_OPTIONS="suppressions=$root/scripts/sanitize-leaks.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$logs/ubsan"

mkdir -p "$build" "$logs"
start=$(date +%s)
if [ ! -f "$build/build.ninja" ]; then
  # Debug at -O1: assertions stay on and ASan's checks are not optimised
  # away, while the tests (real searches, LibTorch timing) still finish.
  flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
    -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
    -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined" -DNASCTL_BUILD_BENCH=OFF
fi
# The build runs test programs too (doctest's test discovery): with the
# options above, so a finding at start-up or exit shows here already.
# -k 0: a target that does not compile (work in progress in a shared
# checkout) costs its own suite, not the whole run; the summary names it.
build_status=0
cmake --build "$build" -j "$jobs" -- -k 0 > "$build/build.log" 2>&1 || build_status=$?
grep -E '^FAILED: ' "$build/build.log" > "$build/build-failures.log" || true
built=$(date +%s)

status=0
ctest --test-dir "$build" --output-on-failure -j "$jobs" --timeout 1800 "$@" | tee "$build/ctest.log" || status=$?
done_at=$(date +%s)

echo
echo "sanitize.sh: summary ($build, $(date -u +%FT%TZ))"
echo "  build: $(( (built - start) / 60 )) min, tests: $(( (done_at - built) / 60 )) min"
grep -E '^[0-9]+% tests passed' "$build/ctest.log" | sed 's/^/  /' || true
if [ "$build_status" -ne 0 ]; then
  status=1
  echo "  build: failed for $(wc -l < "$build/build-failures.log") outputs (their suites did not run; $build/build.log):"
  sed 's/^/    /' "$build/build-failures.log"
fi
reports=$(find "$logs" -type f -newermt "@$start" | sort)
# GCC's combined runtime prints UBSan's reports on stderr whatever log_path
# says; the report still ends the program (-fno-sanitize-recover), and CTest
# keeps every test's output, passing or not, in LastTest.log: look there too.
ub=$(grep -c -E 'runtime error: |ERROR: (Address|Leak)Sanitizer' "$build/Testing/Temporary/LastTest.log" || true)
if [ "${ub:-0}" -gt 0 ]; then
  status=1
  echo "  sanitizer reports in the tests' output: $ub ($build/Testing/Temporary/LastTest.log):"
  grep -m10 -E 'runtime error: |ERROR: (Address|Leak)Sanitizer' "$build/Testing/Temporary/LastTest.log" | sed 's/^/    /'
fi
if [ -n "$reports" ]; then
  status=1
  echo "  sanitizer reports: $(echo "$reports" | wc -l)"
  for r in $reports; do
    echo "  --- $r"
    grep -m3 -E 'ERROR: |runtime error: |SUMMARY: ' "$r" | sed 's/^/    /'
  done
else
  echo "  sanitizer reports: none"
fi
exit $(( status == 0 ? 0 : 1 ))
