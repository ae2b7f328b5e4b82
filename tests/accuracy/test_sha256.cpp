// The SHA-256 run.json records for a checkpoint: FIPS 180-4's examples, a
// digest independent of how the bytes are fed, and a file's digest.
#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include "../../plugins/accuracy/supernet/sha256.hpp"
#include "accuracy_support.hpp"

using nasctl::accuracy::supernet::Sha256;

namespace {

std::string digest(const std::string& text) {
  Sha256 h;
  h.update(text.data(), text.size());
  return h.hex();
}

}  // namespace

TEST_CASE("sha256: the standard's examples") {
  CHECK(digest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(digest(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256: the digest does not depend on how the bytes are split between updates") {
  const std::string text(300, 'x');
  for (std::size_t first : {0, 1, 55, 56, 63, 64, 65, 200}) {
    Sha256 h;
    h.update(text.data(), first);
    h.update(text.data() + first, text.size() - first);
    CHECK(h.hex() == digest(text));
  }
}

TEST_CASE("sha256: a file's digest is sha256sum's; a missing file is one line naming it") {
  CHECK(nasctl::accuracy::supernet::sha256_of_file(nasctl::test::ofa_checkpoint()) == nasctl::test::kOfaCheckpointSha256);
  const std::string message =
      nasctl::test::error_of([] { nasctl::accuracy::supernet::sha256_of_file("/nonexistent/ckpt.pth"); });
  CHECK(message.find("/nonexistent/ckpt.pth: cannot open") == 0);
}
