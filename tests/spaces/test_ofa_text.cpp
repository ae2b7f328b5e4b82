// OFA MobileNetV3 text forms: the canonical form round-trips, DyNAS-T's dict
// form parses in its whitespace variations, and every bad string is one clear
// ArchitectureError naming what is wrong and the expected form.
#include <doctest/doctest.h>

#include <string>

#include "nasctl/error.hpp"
#include "nasctl/rng.hpp"
#include "ofa_mobilenetv3.hpp"
#include "plugin_config.hpp"

using nasctl::Architecture;
using nasctl::spaces::ofa_mobilenetv3::OfaMobileNetV3;

namespace {

// The first row of mbnv3w10_evoga_acc.csv and its canonical form.
const char* kDynast =
    "{'wid': None, 'ks': [5, 7, 5, 5, 3, 3, 3, 7, 5, 5, 3, 7, 7, 3, 3, 3, 5, 5, 5, 5], "
    "'e': [4, 3, 4, 4, 4, 6, 3, 4, 4, 3, 4, 3, 3, 6, 6, 6, 4, 3, 4, 4], 'd': [2, 3, 2, 4, 3], 'r': [224]}";
const char* kCanonical =
    "ks=5,7,-,-,3,3,3,-,5,5,-,-,7,3,3,3,5,5,5,-;e=4,3,-,-,4,6,3,-,4,3,-,-,3,6,6,6,4,3,4,-;d=2,3,2,4,3;r=224";

std::string parse_error(const OfaMobileNetV3& space, const std::string& text) {
  try {
    space.parse(text);
  } catch (const nasctl::ArchitectureError& e) {
    return e.what();
  }
  return "no error";
}

// One line, naming the problem, followed by the expected form.
void check_error(const OfaMobileNetV3& space, const std::string& text, const std::string& problem) {
  const std::string message = parse_error(space, text);
  INFO("text: " << text);
  INFO("message: " << message);
  CHECK(message.find(problem) != std::string::npos);
  CHECK(message.find("expected 'ks=") != std::string::npos);
  CHECK(message.find('\n') == std::string::npos);
}

}  // namespace

TEST_CASE("the DyNAS-T dict form parses to the canonical form with '-' for unused slots") {
  const auto space = nasctl::test::make_plugin<OfaMobileNetV3>();
  const Architecture arch = space->parse(kDynast);
  CHECK(space->to_string(arch) == kCanonical);
  CHECK(space->parse(kCanonical) == arch);
}

TEST_CASE("the canonical form round-trips: parse(to_string(a)) == canonicalize(a)") {
  const auto space =
      nasctl::test::make_plugin<OfaMobileNetV3>({{"resolutions", std::vector<int64_t>{128, 160, 224}}});
  nasctl::Rng rng(11);
  for (int i = 0; i < 500; ++i) {
    const Architecture arch = space->sample(rng);
    const std::string text = space->to_string(arch);
    CHECK(text.find(' ') == std::string::npos);
    CHECK(space->parse(text) == space->canonicalize(arch));
    CHECK(space->parse(space->to_dynast(arch)) == space->canonicalize(arch));
  }
}

TEST_CASE("the DyNAS-T form tolerates whitespace, double quotes, a bare r, no wid and a trailing comma") {
  const auto space = nasctl::test::make_plugin<OfaMobileNetV3>();
  const Architecture expected = space->parse(kDynast);
  CHECK(space->parse("  { \"wid\" :None,'ks':[5,7,5,5,3,3,3,7,5,5,3,7,7,3,3,3,5,5,5,5] ,\n 'e' : [ 4,3,4,4,4,6,3,4,4,3,4,"
                     "3,3,6,6,6,4,3,4,4 ],'d':[2,3,2,4,3],'r':224 ,}  ") == expected);
  CHECK(space->parse("{'ks': [5, 7, 5, 5, 3, 3, 3, 7, 5, 5, 3, 7, 7, 3, 3, 3, 5, 5, 5, 5], 'e': [4, 3, 4, 4, 4, 6, 3, 4, "
                     "4, 3, 4, 3, 3, 6, 6, 6, 4, 3, 4, 4], 'd': [2, 3, 2, 4, 3], 'r': [224]}") == expected);
}

TEST_CASE("the canonical form accepts real values in unused slots and canonicalizes them away") {
  const auto space = nasctl::test::make_plugin<OfaMobileNetV3>();
  const Architecture with_values = space->parse(
      "ks=5,7,7,7,3,3,3,5,5,5,3,3,7,3,3,3,5,5,5,7;e=4,3,6,6,4,6,3,6,4,3,4,4,3,6,6,6,4,3,4,6;d=2,3,2,4,3;r=224");
  CHECK(with_values == space->parse(kCanonical));
  CHECK(space->to_string(with_values) == kCanonical);
}

TEST_CASE("a canonical string with the wrong number of values names the variable and the counts") {
  const auto space = nasctl::test::make_plugin<OfaMobileNetV3>();
  check_error(*space, "ks=5,7,-,-,3,3,3,-,5,5,-,-,7,3,3,3,5,5,5;e=4,3,-,-,4,6,3,-,4,3,-,-,3,6,6,6,4,3,4,-;d=2,3,2,4,3;r=224",
              "ks has 19 values, expected 20");
  check_error(*space, "ks=5,7,-,-,3,3,3,-,5,5,-,-,7,3,3,3,5,5,5,-;e=4,3,-,-,4,6,3,-,4,3,-,-,3,6,6,6,4,3,4,-;d=2,3,2,4;r=224",
              "d has 4 values, expected 5");
}

TEST_CASE("a choice outside a variable's set names the slot, the value and the allowed set") {
  const auto space = nasctl::test::make_plugin<OfaMobileNetV3>();
  check_error(*space, "ks=5,7,-,-,9,3,3,-,5,5,-,-,7,3,3,3,5,5,5,-;e=4,3,-,-,4,6,3,-,4,3,-,-,3,6,6,6,4,3,4,-;d=2,3,2,4,3;r=224",
              "ks[4] = 9 is not one of {3, 5, 7}");
  check_error(*space, "ks=5,7,-,-,3,3,3,-,5,5,-,-,7,3,3,3,5,5,5,-;e=4,3,-,-,4,6,3,-,4,3,-,-,3,6,6,6,4,3,4,-;d=2,3,5,4,3;r=224",
              "d[2] = 5 is not one of {2, 3, 4}");
  check_error(*space, "ks=5,7,-,-,3,3,3,-,5,5,-,-,7,3,3,3,5,5,5,-;e=4,3,-,-,4,6,3,-,4,3,-,-,3,6,6,6,4,3,4,-;d=2,3,2,4,3;r=160",
              "r = 160 is not one of this space's resolutions {224}");
  check_error(*space, "ks=5,-,-,-,3,3,3,-,5,5,-,-,7,3,3,3,5,5,5,-;e=4,3,-,-,4,6,3,-,4,3,-,-,3,6,6,6,4,3,4,-;d=2,3,2,4,3;r=224",
              "ks[1] is '-' but slot 1 is used (d[0] = 2)");
}

TEST_CASE("garbage and malformed strings are rejected with what is wrong") {
  const auto space = nasctl::test::make_plugin<OfaMobileNetV3>();
  check_error(*space, "hello", "'hello' is not of the form name=values");
  check_error(*space, "", "is empty");
  check_error(*space, "ks=5,7,x;e=4;d=2;r=224", "ks[2] = 'x' is not an integer");
  check_error(*space, "ks=5;e=4;d=2;r=224;w=1", "unknown key 'w'");
  check_error(*space, "ks=5;e=4;d=2", "missing 'r='");
  check_error(*space, "{'wid': None, 'ks': [5, 7", "expected ',' or ']' in 'ks'");
  check_error(*space, "{'wid': None, 'ks': 5}", "'ks' must be a list of integers");
  check_error(*space, "{'wid': 1.2, 'ks': []}", "'wid' must be None");
  check_error(*space, "{'ks': [], 'depth': [2]}", "unknown key 'depth'");
  check_error(*space, std::string(kDynast) + " trailing", "unexpected text after the closing '}'");
}

TEST_CASE("a DyNAS-T dict with 19 kernel sizes names the count") {
  const auto space = nasctl::test::make_plugin<OfaMobileNetV3>();
  check_error(*space,
              "{'wid': None, 'ks': [5, 7, 5, 5, 3, 3, 3, 7, 5, 5, 3, 7, 7, 3, 3, 3, 5, 5, 5], "
              "'e': [4, 3, 4, 4, 4, 6, 3, 4, 4, 3, 4, 3, 3, 6, 6, 6, 4, 3, 4, 4], 'd': [2, 3, 2, 4, 3], 'r': [224]}",
              "ks has 19 values, expected 20");
  check_error(*space,
              "{'wid': None, 'ks': [5, 7, 5, 5, 3, 3, 3, 7, 5, 5, 3, 7, 7, 3, 3, 3, 5, 5, 5, 5], "
              "'e': [4, 3, 4, 4, 4, 6, 3, 4, 4, 3, 4, 3, 3, 6, 6, 6, 4, 3, 4, 4], 'd': [2, 3, 2, 4, 3], 'r': [224, 192]}",
              "r has 2 values, expected 1");
}
