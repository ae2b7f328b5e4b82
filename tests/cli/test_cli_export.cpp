// `nasctl export`: one sub-network of the config's space written as a model
// file, ONNX or TorchScript by extension or --format; any form of an
// architecture gives the same file; bad input is a one-line error (exit 2)
// that leaves nothing at -o, not even after a write that fails half-way.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli_runner.hpp"
#include "configs.hpp"
#include "temp_dir.hpp"

using namespace nasctl::test;
namespace fs = std::filesystem;

namespace {

CliResult export_model(const TempDir& dir, const std::string& arch, const std::string& out,
                       const std::vector<std::string>& extra = {}) {
  write_text(dir / "cfg.toml", kAnalyticConfig);
  std::vector<std::string> args{"export", "-c", dir / "cfg.toml", "--arch", arch, "-o", out};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_nasctl(args);
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> files_in(const TempDir& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir.path())) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("export -o model.pt writes a TorchScript archive of the canonical sub-network") {
  TempDir dir("cli-export");
  const auto r = export_model(dir, kSmallestDynast, dir / "m.pt");
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(read(dir / "m.pt").substr(0, 2) == "PK");
  CHECK(r.out.find("TorchScript archive") != std::string::npos);
  CHECK(r.out.find("arch: " + kSmallestCanonical) != std::string::npos);
  CHECK(files_in(dir) == std::vector<std::string>{"cfg.toml", "m.pt"});
}

#ifdef NASCTL_TEST_WITH_ONNX

TEST_CASE("export -o model.onnx writes ONNX, and the DyNAS-T and canonical forms give the same bytes") {
  TempDir dir("cli-export");
  const auto canonical = export_model(dir, kSmallestCanonical, dir / "a.onnx");
  const auto dynast = export_model(dir, kSmallestDynast, dir / "b.onnx");
  REQUIRE(canonical.exit_code == 0);
  REQUIRE(dynast.exit_code == 0);
  const std::string bytes = read(dir / "a.onnx");
  CHECK(bytes.size() > 1000000);             // ~2.9 M float weights
  CHECK(bytes.substr(0, 2) == "\x08\x07");   // ModelProto field 1, ir_version 7
  CHECK(bytes == read(dir / "b.onnx"));
  CHECK(bytes.find(kSmallestCanonical) != std::string::npos);  // metadata: nasctl.arch
  CHECK(canonical.out.find("ONNX (opset 14), batch 1, BatchNorm folded into Conv, weights from seed 0") !=
        std::string::npos);
}

TEST_CASE("--batch and --seed change the ONNX file, and --format torchscript with a .pt name is TorchScript") {
  TempDir dir("cli-export");
  REQUIRE(export_model(dir, kSmallestCanonical, dir / "b1.onnx").exit_code == 0);
  const auto batch = export_model(dir, kSmallestCanonical, dir / "b4.onnx", {"--batch", "4"});
  REQUIRE(batch.exit_code == 0);
  CHECK(batch.out.find("batch 4") != std::string::npos);
  CHECK(read(dir / "b4.onnx") != read(dir / "b1.onnx"));
  REQUIRE(export_model(dir, kSmallestCanonical, dir / "s1.onnx", {"--seed", "1"}).exit_code == 0);
  CHECK(read(dir / "s1.onnx").size() == read(dir / "b1.onnx").size());
  CHECK(read(dir / "s1.onnx") != read(dir / "b1.onnx"));
  REQUIRE(export_model(dir, kSmallestCanonical, dir / "t.pt", {"--format", "torchscript"}).exit_code == 0);
  CHECK(read(dir / "t.pt").substr(0, 2) == "PK");
}

TEST_CASE("a write that fails half-way (file size limit, as a full disk) leaves neither file nor temporary") {
  TempDir dir("cli-export");
  write_text(dir / "cfg.toml", kAnalyticConfig);
  const auto r = run_nasctl({"export", "-c", dir / "cfg.toml", "--arch", kSmallestCanonical, "-o", dir / "m.onnx"}, "",
                            60, 64 * 1024);
  CHECK_USER_ERROR(r, dir / "m.onnx", "writing", "nothing was written", "fix: free space in");
  CHECK(files_in(dir) == std::vector<std::string>{"cfg.toml"});
}

#else

TEST_CASE("without ONNX in the build, an .onnx export is a one-line error that says how to get it") {
  TempDir dir("cli-export");
  const auto r = export_model(dir, kSmallestCanonical, dir / "m.onnx");
  CHECK_USER_ERROR(r, "-o " + (dir / "m.onnx") + ": ONNX export is not in this nasctl", "fix: install libonnx-dev",
                   "--format torchscript -o model.pt");
  CHECK_USER_ERROR(export_model(dir, kSmallestCanonical, dir / "m", {"--format", "onnx"}),
                   "--format onnx: ONNX export is not in this nasctl");
  CHECK(files_in(dir) == std::vector<std::string>{"cfg.toml"});
}

#endif

TEST_CASE("export refuses bad input with one line naming what and the fix, and writes nothing") {
  TempDir dir("cli-export");
  const std::string out = dir / "m.pt";
  CHECK_USER_ERROR(export_model(dir, "ks=3,3;e=9", out), "--arch: ");
  CHECK_USER_ERROR(export_model(dir, kSmallestCanonical, dir / "no/such/folder/m.pt"), "-o ", "does not exist",
                   "fix: create it");
  fs::create_directories(dir / "folder.pt");
  CHECK_USER_ERROR(export_model(dir, kSmallestCanonical, dir / "folder.pt"), "is a folder", "fix: give a file name");
  CHECK_USER_ERROR(export_model(dir, kSmallestCanonical, out, {"--batch", "0"}), "--batch 0", "fix: use 1 or more");
  CHECK_USER_ERROR(export_model(dir, kSmallestCanonical, out, {"--format", "tflite"}), "--format 'tflite'",
                   "fix: use onnx or torchscript");
  CHECK_USER_ERROR(export_model(dir, kSmallestCanonical, dir / "m.onnx", {"--format", "torchscript"}),
                   "the extension says onnx but --format is torchscript", "fix: name the file *.pt");
  CHECK_USER_ERROR(export_model(dir, kSmallestCanonical, dir / "m.tflite"), "unknown model file extension '.tflite'",
                   "fix: name the file *.onnx (ONNX) or *.pt (TorchScript archive), or give --format");
  CHECK_USER_ERROR(export_model(dir, kSmallestCanonical, dir / "model"), "the file name has no extension");
  CHECK(files_in(dir) == std::vector<std::string>{"cfg.toml", "folder.pt"});
}
