#!/usr/bin/env bash
# CTest registers every doctest case under its name (doctest_discover_tests
# in tests/CMakeLists.txt), and a ';' in a name splits it into list items:
# two CTest entries whose filters match no case, so each passes running
# nothing. Fails, naming the cases, when a TEST_CASE name holds a ';'.
set -euo pipefail
cd "$(dirname "$0")/.."
if hits=$(grep -rn --include='*.cpp' 'TEST_CASE("[^"]*;' tests); then
  echo "$hits" >&2
  echo "check-test-names: the test case names above hold ';', which CTest splits, so they never run; fix: use ','" >&2
  exit 1
fi
