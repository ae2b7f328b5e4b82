// nasctl end to end on bert-base and vit-base: a search with the analytic
// and measure hardware models (short sentences, small images and few classes
// keep the timing quick), `lut build` enumerating their layers exactly,
// `space info`, and config errors in one line.
#include <doctest/doctest.h>

#include <string>

#include "cli_runner.hpp"
#include "cuda_agreement.hpp"
#include "encoder_space.hpp"
#include "nasctl/csv.hpp"
#include "nasctl/network_spec.hpp"
#include "plugin_config.hpp"
#include "search_config.hpp"
#include "searched_rows.hpp"
#include "temp_dir.hpp"

using namespace nasctl;
using namespace nasctl::test;
using nasctl::spaces::bert_vit::BertBase;
using nasctl::spaces::bert_vit::EncoderSpace;
using nasctl::spaces::bert_vit::VitBase;

namespace {

const std::string kBertKeys = "sequence_length = 8\nvocabulary = 100\n";
const std::string kVitKeys = "image_size = 32\nclasses = 10\n";

std::unique_ptr<EncoderSpace> small_space(const std::string& name) {
  if (name == "bert-base") return make_plugin<BertBase>({{"sequence_length", int64_t{8}}, {"vocabulary", int64_t{100}}});
  return make_plugin<VitBase>({{"image_size", int64_t{32}}, {"classes", int64_t{10}}});
}

void check_searches(const std::string& device) {
  for (const std::string name : {"bert-base", "vit-base"}) {
    CAPTURE(name);
    TempDir dir("bert-vit-cli");
    const std::string keys = name == "bert-base" ? kBertKeys : kVitKeys;
    const CsvTable t = searched_table(dir, search_config(name, keys, 3, measure_objectives("min", device)), 3);
    check_searched_rows(t, *small_space(name), measure_name(device));
  }
}

}  // namespace

TEST_CASE("a search with analytic and measure runs on bert-base and vit-base: each network counted as lowered and timed") {
  check_searches("cpu");
}

TEST_CASE("measure times bert-base and vit-base on CUDA in a search (skipped without a GPU)") {
  if (!cuda_usable()) return;
  check_searches("cuda");
}

TEST_CASE("lut build enumerates bert-base's and vit-base's layers exactly, and the table prices networks at their MACs") {
  for (const std::string name : {"bert-base", "vit-base"}) {
    CAPTURE(name);
    TempDir dir("bert-vit-cli");
    write_text(dir / "cfg.toml", search_config(name, name == "bert-base" ? kBertKeys : kVitKeys, 4, lut_objective()));
    const auto build = run_nasctl({"lut", "build", "-c", dir / "cfg.toml", "--hardware", "cost", "--metric", "macs",
                                   "-o", dir / "macs.csv", "--no-progress"},
                                  "", 300);
    REQUIRE_MESSAGE(build.exit_code == 0, build.err);
    CHECK(build.out.find("(exact: enumerated by the space)") != std::string::npos);
    CHECK(build.out.find("lut build: " + std::to_string(small_space(name)->distinct_layers().size()) +
                         " distinct layer signatures") != std::string::npos);
    const auto search = run_nasctl({"search", "-c", dir / "cfg.toml", "-o", dir / "run", "--no-progress"});
    REQUIRE_MESSAGE(search.exit_code == 0, search.err);
    const CsvTable t = read_csv(dir / "run/evaluations.csv");
    REQUIRE(t.rows.size() == 4);
    for (std::size_t row = 0; row < t.rows.size(); ++row)
      CHECK(t.number(row, t.column("table.latency_ms")) == t.number(row, t.column("cost.macs")));
  }
}

TEST_CASE("nasctl space info on bert-base and vit-base: variables, exact sizes and the extremes' counts") {
  TempDir dir("bert-vit-cli");
  write_text(dir / "bert.toml", search_config("bert-base", "", 4, kMacsObjective));
  const auto bert = run_nasctl({"space", "info", "-c", dir / "bert.toml"});
  REQUIRE_MESSAGE(bert.exit_code == 0, bert.err);
  // 7 depths x 4^12 heads x 3^12 widths choice vectors.
  CHECK(bert.out.find("62412703137792") != std::string::npos);
  CHECK(bert.out.find("num_attention_heads[0..11]") != std::string::npos);
  CHECK(bert.out.find("distinct networks: " + make_plugin<BertBase>()->distinct_networks()) != std::string::npos);
  CHECK(bert.out.find(" 109483778 parameters") != std::string::npos);
  write_text(dir / "vit.toml", search_config("vit-base", "", 4, kMacsObjective));
  const auto vit = run_nasctl({"space", "info", "-c", dir / "vit.toml"});
  REQUIRE_MESSAGE(vit.exit_code == 0, vit.err);
  CHECK(vit.out.find("vit_intermediate_sizes[0..11]") != std::string::npos);
  CHECK(vit.out.find(" 86567656 parameters") != std::string::npos);
}

TEST_CASE("bert-base and vit-base config errors point at the key") {
  TempDir dir("bert-vit-cli");
  write_text(dir / "unknown.toml", search_config("bert-base", "heads = 4\n", 4, kMacsObjective));
  CHECK_USER_ERROR(run_nasctl({"validate", "-c", dir / "unknown.toml"}), "unknown.toml:5:9: key 'space.heads'",
                   "unknown key for plugin 'bert-base' (its keys: sequence_length, vocabulary, classes)");
  write_text(dir / "long.toml", search_config("bert-base", "sequence_length = 600\n", 4, kMacsObjective));
  CHECK_USER_ERROR(run_nasctl({"validate", "-c", dir / "long.toml"}), "long.toml:5:19: key 'space.sequence_length': is 600",
                   "fix: give 1 to 512 tokens");
  write_text(dir / "size.toml", search_config("vit-base", "image_size = 100\n", 4, kMacsObjective));
  CHECK_USER_ERROR(run_nasctl({"validate", "-c", dir / "size.toml"}), "size.toml:5:14: key 'space.image_size': is 100",
                   "fix: give a multiple of 16");
  write_text(dir / "good.toml", search_config("vit-base", kVitKeys, 4, kMacsObjective));
  const auto ok = run_nasctl({"validate", "-c", dir / "good.toml"});
  CHECK_MESSAGE(ok.exit_code == 0, ok.err);
}
