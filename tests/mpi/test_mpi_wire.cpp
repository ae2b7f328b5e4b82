// The messages between ranks and the start-up comparison, without MPI.
#include <cmath>
#include <limits>

#include <doctest/doctest.h>

#include "mpi_wire.hpp"
#include "nasctl/error.hpp"
#include "nasctl/runtime/mpi.hpp"

using namespace nasctl;
using namespace nasctl::runtime;

namespace {

RankFingerprint sample(int rank, const std::string& host) {
  RankFingerprint f;
  f.who.rank = rank;
  f.who.host = host;
  f.who.pid = 1000 + rank;
  f.who.local_rank = std::to_string(rank);
  f.nasctl_version = "0.1.0";
  f.config_digest = fnv1a_hex("seed = 7\n");
  f.plugins = {"space ofa-mobilenetv3 1.0.0 00000000000000aa", "hardware analytic 1.0.0 00000000000000bb"};
  return f;
}

}  // namespace

TEST_CASE("wire: a result reaches rank 0 bit for bit, inf, nan and text with any bytes included") {
  EvaluationRecord r;
  r.index = 41;
  r.rank = 3;
  r.host = "node-7";
  r.seconds = 0.1 + 0.2;  // not a short decimal
  r.error = "provider 'x': failed:\nsecond line with 12:colons";
  r.metrics = {{"cost.macs", 255502624.0},
               {"acc.top1", 1.0 / 3.0},
               {"a.inf", std::numeric_limits<double>::infinity()},
               {"a.nan", std::nan("")},
               {"a.neg", -5e-324}};
  EvaluationRecord back;
  CHECK(wire::read_result(wire::result(r), "rank 3", back) == 41);
  CHECK(back.index == 41);
  CHECK(back.rank == 3);
  CHECK(back.host == "node-7");
  CHECK(back.seconds == r.seconds);
  CHECK(back.error == r.error);
  REQUIRE(back.metrics.size() == 5);
  CHECK(back.metrics["cost.macs"] == 255502624.0);
  CHECK(back.metrics["acc.top1"] == 1.0 / 3.0);
  CHECK(std::isinf(back.metrics["a.inf"]));
  CHECK(std::isnan(back.metrics["a.nan"]));
  CHECK(back.metrics["a.neg"] == -5e-324);
}

TEST_CASE("wire: a job carries the index and the canonical text") {
  const std::string text = "ks=3,5,-;e=4;d=2;r=224";
  const wire::Job j = wire::read_job(wire::job(7, text), "rank 0");
  CHECK(j.index == 7);
  CHECK(j.canonical == text);
}

TEST_CASE("wire: malformed or other-version messages are refused naming the sender") {
  EvaluationRecord r;
  auto message_of = [&](const std::string& bytes) {
    try {
      wire::read_result(bytes, "MPI rank 2", r);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  for (const std::string bad : {std::string(""), std::string("12:nasctl-mpi/1"), std::string("x:abc"),
                                wire::pack({"nasctl-mpi/2 result", "1", "1", "h", "0x0p+0", ""}),
                                wire::pack({"nasctl-mpi/1 result", "1", "1", "h", "soon", ""}),
                                wire::pack({"nasctl-mpi/1 result", "1", "1", "h", "0x0p+0", "", "lonely.metric"}),
                                wire::job(1, "x")}) {
    const std::string m = message_of(bad);
    INFO(m);
    CHECK(m.find("MPI rank 2: malformed MPI message") == 0);
    CHECK(m.find("fix: run the same nasctl build on every rank") != std::string::npos);
  }
}

TEST_CASE("wire: a fingerprint survives the trip") {
  RankFingerprint f = sample(2, "node-2");
  f.who.cuda_visible_devices = "1";
  f.who.conditions = {{"cpu", {{"device", "cuda:1"}, {"threads", "4"}}}, {"phone", {{"serial", "R58M 12:ab"}}}};
  f.error = "";
  const RankFingerprint back = wire::read_fingerprint(wire::fingerprint(f), "rank 2");
  CHECK(back.who.rank == 2);
  CHECK(back.who.host == "node-2");
  CHECK(back.who.pid == 1002);
  CHECK(back.who.local_rank == "2");
  CHECK(back.who.cuda_visible_devices == "1");
  CHECK(back.config_digest == f.config_digest);
  CHECK(back.plugins == f.plugins);
  CHECK(back.who.conditions == f.who.conditions);
  f.plugins.clear();
  f.who.conditions.clear();
  const RankFingerprint bare = wire::read_fingerprint(wire::fingerprint(f), "rank 2");
  CHECK(bare.plugins.empty());
  CHECK(bare.who.conditions.empty());
  CHECK(compare_fingerprints({sample(0, "n0"), back}).empty());
}

TEST_CASE("start-up: a worker that differs from rank 0 is named with its host, once") {
  const RankFingerprint zero = sample(0, "n0");
  CHECK(compare_fingerprints({zero, sample(1, "n1"), sample(2, "n2")}).empty());

  RankFingerprint other_config = sample(2, "n2");
  other_config.config_digest = fnv1a_hex("seed = 8\n");
  std::string m = compare_fingerprints({zero, sample(1, "n1"), other_config});
  CHECK(m.find("rank 2 (host n2) read a different config than rank 0 (host n0)") == 0);
  CHECK(m.find('\n') == std::string::npos);

  RankFingerprint other_plugin = sample(1, "n1");
  other_plugin.plugins[1] = "hardware analytic 1.0.1 00000000000000bb";
  m = compare_fingerprints({zero, other_plugin});
  CHECK(m.find("rank 1 (host n1) loaded plugin 'hardware analytic 1.0.1") == 0);
  CHECK(m.find("rank 0 (host n0) loaded 'hardware analytic 1.0.0") != std::string::npos);

  RankFingerprint missing = sample(1, "n1");
  missing.plugins.pop_back();
  m = compare_fingerprints({zero, missing});
  CHECK(m.find("rank 1 (host n1) loaded plugin 'nothing' where rank 0 (host n0) loaded 'hardware analytic") == 0);

  RankFingerprint failed = sample(3, "n3");
  failed.error = "no hardware plugin named 'analytic'";
  m = compare_fingerprints({zero, sample(1, "n1"), sample(2, "n2"), failed});
  CHECK(m == "rank 3 (host n3) could not start: no hardware plugin named 'analytic'");

  RankFingerprint old = sample(1, "n1");
  old.nasctl_version = "0.0.9";
  CHECK(compare_fingerprints({zero, old}).find("rank 1 (host n1) runs nasctl 0.0.9") == 0);

  RankFingerprint zero_failed = zero;
  zero_failed.error = "config.toml:3: bad key";
  CHECK(compare_fingerprints({zero_failed, failed}) == "config.toml:3: bad key");
}

TEST_CASE("start-up: digests tell files and texts apart") {
  CHECK(fnv1a_hex("") == "cbf29ce484222325");  // FNV-1a 64's offset basis
  CHECK(fnv1a_hex("a") == "af63dc4c8601ec8c");  // the published test vector
  CHECK(fnv1a_hex("seed = 7\n") != fnv1a_hex("seed = 8\n"));
  CHECK(file_digest("/nonexistent/nasctl-x.so") == "unreadable");
}

TEST_CASE("launch detection reads the launcher's environment only") {
  ::unsetenv("OMPI_COMM_WORLD_SIZE");
  ::unsetenv("PMIX_RANK");
  ::unsetenv("PMI_SIZE");
  CHECK(mpi_launcher().empty());
  ::setenv("PMI_SIZE", "4", 1);
  CHECK(mpi_launcher() == "PMI_SIZE=4");
  ::setenv("OMPI_COMM_WORLD_SIZE", "3", 1);
  CHECK(mpi_launcher() == "OMPI_COMM_WORLD_SIZE=3");
  ::unsetenv("OMPI_COMM_WORLD_SIZE");
  ::unsetenv("PMI_SIZE");
}
