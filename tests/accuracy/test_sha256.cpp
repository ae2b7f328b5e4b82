// The SHA-256 run.json records for a checkpoint: sha256sum's digest of a
// file, whatever its size against the read chunk, and a one-line error.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "../../plugins/accuracy/supernet/sha256.hpp"
#include "accuracy_support.hpp"

using nasctl::accuracy::supernet::sha256_of_file;

namespace {

std::string digest_of_text(const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / "nasctl-test-sha256.bin";
  std::ofstream(path, std::ios::binary) << text;
  const std::string digest = sha256_of_file(path.string());
  std::filesystem::remove(path);
  return digest;
}

}  // namespace

TEST_CASE("sha256: a file's digest is sha256sum's, for empty files and files longer than one read chunk") {
  CHECK(digest_of_text("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(digest_of_text("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // 1,000,000 bytes: FIPS 180-4's long example; 1 MiB + 1 ends one byte into a second chunk.
  CHECK(digest_of_text(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  CHECK(digest_of_text(std::string((1 << 20) + 1, 'a')) == "4a3f0c0c213adea174f9a3d4c13177315b588bdb2e9c1012d3d0bf0453ca0f6a");
  CHECK(sha256_of_file(nasctl::test::ofa_checkpoint()) == nasctl::test::kOfaCheckpointSha256);
}

TEST_CASE("sha256: a missing file is one line naming it") {
  const std::string message = nasctl::test::error_of([] { sha256_of_file("/nonexistent/ckpt.pth"); });
  CHECK(message.find("/nonexistent/ckpt.pth: cannot open") == 0);
}
