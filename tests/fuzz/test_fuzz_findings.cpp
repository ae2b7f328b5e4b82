// What fuzzing found, as behaviour: each input that once crashed or reached
// undefined behaviour now ends in one nasctl error line naming the file.
// The raw inputs are replayed too (regressions/<target>/, test_fuzz_corpus.cpp).
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "nasctl/error.hpp"
#include "nasctl/predict/model_io.hpp"
#include "nasctl/runtime/journal.hpp"

namespace fs = std::filesystem;

namespace {

const char* kHeader = "{\"nasctl_journal\":1,\"space\":\"ofa-mobilenetv3\"}\n";

std::string journal_error(const std::string& record) {
  const fs::path path = fs::path(NASCTL_BUILD_DIR) / "tests" / ("fuzz-journal-" + std::to_string(::getpid()) + ".jsonl");
  std::ofstream(path, std::ios::binary | std::ios::trunc) << kHeader << record << "\n";
  std::string message = "(no error)";
  try {
    double time_stop = 0.0;  // asked for, as resume asks, so time-stop lines are read
    nasctl::runtime::Journal::read(path.string(), &time_stop);
  } catch (const nasctl::DataError& e) {
    message = e.what();
  }
  fs::remove(path);
  return message;
}

}  // namespace

TEST_CASE("a journal choice too large for an int is a DataError at its line, not undefined behaviour") {
  const std::string message = journal_error(
      R"({"arch":"a","choices":[1,2.44444e39],"elapsed":0.1,"index":0,"metrics":{},"seconds":0.1})");
  CHECK(message.find(".jsonl:2: journal record field 'choices' holds 2.44444e+39") != std::string::npos);
  CHECK(message.find("fix: remove that line") != std::string::npos);
  CHECK(journal_error(R"({"arch":"a","choices":[-1],"elapsed":0.1,"index":0,"metrics":{},"seconds":0.1})")
            .find("'choices' holds -1, not a whole number from 0 to") != std::string::npos);
  CHECK(journal_error(R"({"arch":"a","choices":[0],"elapsed":0.1,"index":1e300,"metrics":{},"seconds":0.1})")
            .find("'index' holds 1e+300") != std::string::npos);
}

TEST_CASE("a journal time stop that is not a number is a DataError at its line") {
  CHECK(journal_error(R"({"time_stop":"soon"})").find(".jsonl:2: journal record is missing fields") != std::string::npos);
}

TEST_CASE("a model file with a number too large for a double is a DataError, not an escaped out_of_range") {
  std::string message = "(no error)";
  try {
    nasctl::predict::from_model_text(R"({"format": "nasctl-regressor", "x": 15.1972e28957488296})", "m.json");
  } catch (const nasctl::DataError& e) {
    message = e.what();
  }
  CHECK(message.find("m.json: not a JSON model file (") != std::string::npos);
  CHECK(message.find("number overflow") != std::string::npos);
}
