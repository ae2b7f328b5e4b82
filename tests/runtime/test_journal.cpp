// The journal: append-only, one JSON line per evaluation, readable after a
// crash at any moment (a cut-short last line is dropped; anything else that is
// corrupt is an error naming file:line).
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include "nasctl/error.hpp"
#include "nasctl/runtime/journal.hpp"
#include "temp_dir.hpp"

using namespace nasctl;
using nasctl::runtime::EvaluationRecord;
using nasctl::runtime::Journal;
using nasctl::test::read_text;
using nasctl::test::TempDir;
using nasctl::test::write_text;

namespace {

EvaluationRecord record(std::size_t index) {
  EvaluationRecord r;
  r.index = index;
  r.arch = {static_cast<int>(index % 3), 1, 2};
  r.canonical = "a=" + std::to_string(index % 3) + ";b=1;c=2";
  r.metrics = {{"cost.macs", 1000.0 + static_cast<double>(index)}, {"acc.top1", 0.5 + 0.01 * static_cast<double>(index)}};
  r.seconds = 0.25;
  r.elapsed = 1.5 + static_cast<double>(index);
  return r;
}

void write_records(const std::string& path, std::size_t n) {
  Journal journal(path, "demo-space");
  for (std::size_t i = 0; i < n; ++i) journal.append(record(i));
}

std::string data_error(const std::string& path) {
  try {
    Journal::read(path);
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}

std::size_t count_lines(const std::string& text) {
  std::size_t n = 0;
  for (char c : text) n += c == '\n';
  return n;
}

}  // namespace

TEST_CASE("records appended to the journal read back identically") {
  TempDir dir("journal");
  const std::string path = dir / "journal.jsonl";
  write_records(path, 5);
  const auto back = Journal::read(path);
  REQUIRE(back.size() == 5);
  for (std::size_t i = 0; i < back.size(); ++i) {
    const EvaluationRecord want = record(i);
    CHECK(back[i].index == want.index);
    CHECK(back[i].canonical == want.canonical);
    CHECK(back[i].arch == want.arch);
    CHECK(back[i].metrics == want.metrics);
    CHECK(back[i].seconds == want.seconds);
    CHECK(back[i].elapsed == want.elapsed);
    CHECK(back[i].error.empty());
  }
}

TEST_CASE("the journal starts with a header line naming its version and space, then one line per record") {
  TempDir dir("journal");
  const std::string path = dir / "journal.jsonl";
  write_records(path, 3);
  const std::string text = read_text(path);
  CHECK(count_lines(text) == 4);
  CHECK(text.rfind("{\"nasctl_journal\":1,\"space\":\"demo-space\"}\n", 0) == 0);
  CHECK(text.back() == '\n');
}

TEST_CASE("metrics that are not finite (NaN, infinity) are journaled as null and read back as NaN") {
  TempDir dir("journal");
  const std::string path = dir / "journal.jsonl";
  {
    Journal journal(path, "demo-space");
    EvaluationRecord r = record(0);
    r.metrics["acc.top1"] = std::numeric_limits<double>::quiet_NaN();
    r.metrics["cpu.latency_ms"] = std::numeric_limits<double>::infinity();
    journal.append(r);
  }
  CHECK(read_text(path).find("\"acc.top1\":null") != std::string::npos);
  const auto back = Journal::read(path);
  REQUIRE(back.size() == 1);
  CHECK(std::isnan(back[0].metrics.at("acc.top1")));
  CHECK(std::isnan(back[0].metrics.at("cpu.latency_ms")));
  CHECK(back[0].metrics.at("cost.macs") == 1000.0);
}

TEST_CASE("an error message recorded with a failed evaluation reads back") {
  TempDir dir("journal");
  const std::string path = dir / "journal.jsonl";
  {
    Journal journal(path, "demo-space");
    EvaluationRecord r = record(0);
    r.error = "cpu: timed out";
    journal.append(r);
  }
  CHECK(Journal::read(path).at(0).error == "cpu: timed out");
}

TEST_CASE("reopening an existing journal appends without a second header") {
  TempDir dir("journal");
  const std::string path = dir / "journal.jsonl";
  write_records(path, 2);
  {
    Journal journal(path, "demo-space");
    journal.append(record(2));
  }
  CHECK(count_lines(read_text(path)) == 4);
  CHECK(Journal::read(path).size() == 3);
}

TEST_CASE("a last line cut short by a crash is dropped on reading") {
  TempDir dir("journal");
  const std::string path = dir / "journal.jsonl";
  write_records(path, 4);
  const std::string text = read_text(path);
  write_text(path, text.substr(0, text.size() - 20));
  const auto back = Journal::read(path);
  REQUIRE(back.size() == 3);
  CHECK(back.back().index == 2);
}

TEST_CASE("appending after a cut-short last line drops the fragment, so the journal stays readable") {
  TempDir dir("journal");
  const std::string path = dir / "journal.jsonl";
  write_records(path, 4);
  const std::string text = read_text(path);
  write_text(path, text.substr(0, text.size() - 20));
  {
    Journal journal(path, "demo-space");  // what a resumed run does
    journal.append(record(7));
  }
  const auto back = Journal::read(path);
  REQUIRE(back.size() == 4);
  CHECK(back[2].index == 2);
  CHECK(back[3].index == 7);
  CHECK(count_lines(read_text(path)) == 5);
}

TEST_CASE("a whole last record that only lacks its newline is kept when appending after it") {
  TempDir dir("journal");
  const std::string path = dir / "journal.jsonl";
  write_records(path, 3);
  const std::string text = read_text(path);
  write_text(path, text.substr(0, text.size() - 1));
  CHECK(Journal::read(path).size() == 3);
  {
    Journal journal(path, "demo-space");
    journal.append(record(5));
  }
  const auto back = Journal::read(path);
  REQUIRE(back.size() == 4);
  CHECK(back[2].index == 2);
  CHECK(back[3].index == 5);
}

TEST_CASE("a header cut short before its newline is rewritten when the journal is reopened") {
  TempDir dir("journal");
  const std::string path = dir / "journal.jsonl";
  write_text(path, "{\"nasctl_jour");
  CHECK(Journal::read(path).empty());
  {
    Journal journal(path, "demo-space");
    journal.append(record(0));
  }
  CHECK(Journal::read(path).size() == 1);
}

TEST_CASE("a corrupt line in the middle is an error naming file:line and the fix") {
  TempDir dir("journal");
  const std::string path = dir / "journal.jsonl";
  write_records(path, 4);
  std::string text = read_text(path);
  // Line 3 (the second record) loses the quote and name of its first field.
  std::size_t start = 0;
  for (int line = 1; line < 3; ++line) start = text.find('\n', start) + 1;
  text.erase(start + 1, 3);
  write_text(path, text);
  const std::string e = data_error(path);
  CHECK(e.find(path + ":3: corrupt journal line") == 0);
  CHECK(e.find("fix:") != std::string::npos);
}

TEST_CASE("a corrupt last line that ends with a newline is an error, not a crash artefact") {
  TempDir dir("journal");
  const std::string path = dir / "journal.jsonl";
  write_records(path, 2);
  write_text(path, read_text(path) + "{\"index\": 2, \"arch\n");
  CHECK(data_error(path).find(path + ":4: corrupt journal line") == 0);
}

TEST_CASE("a record missing fields is an error naming its line") {
  TempDir dir("journal");
  const std::string path = dir / "journal.jsonl";
  write_records(path, 1);
  write_text(path, read_text(path) + "{\"index\": 1}\n");
  CHECK(data_error(path).find(path + ":3: journal record is missing fields") == 0);
}

TEST_CASE("a file without the journal header is refused") {
  TempDir dir("journal");
  const std::string path = dir / "journal.jsonl";
  write_text(path, "{\"something\": 1}\n");
  CHECK(data_error(path).find(path + ":1: not a nasctl journal") == 0);
}

TEST_CASE("a journal of another version is refused with the version it has") {
  TempDir dir("journal");
  const std::string path = dir / "journal.jsonl";
  write_text(path, "{\"nasctl_journal\": 99, \"space\": \"x\"}\n");
  const std::string e = data_error(path);
  CHECK(e.find(path + ":1: journal version 99 is not supported") == 0);
}

TEST_CASE("an empty or missing journal is refused") {
  TempDir dir("journal");
  const std::string path = dir / "journal.jsonl";
  write_text(path, "");
  CHECK(data_error(path).find(path + ": empty journal") == 0);
  CHECK(data_error(dir / "missing.jsonl").find("cannot read the journal") != std::string::npos);
}
