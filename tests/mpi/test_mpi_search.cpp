// `mpirun nasctl search` against the built program: the distributed run
// gives the single-process run's evaluations.csv, bad input is refused in one
// line naming the rank and host, and a worker killed with SIGKILL loses
// nothing: --resume on another rank count finishes the run without
// re-evaluating what the journal holds. No case depends on timing.
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "configs.hpp"
#include "nasctl/runtime/mpi.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using nasctl::test::rows_without_timing;

namespace {

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
  std::string command;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs a shell command line in `dir` (the command's output goes to files there).
Outcome shell(const std::string& command, const fs::path& dir) {
  static int n = 0;
  const fs::path out = dir / ("out-" + std::to_string(++n) + ".txt");
  const fs::path err = dir / ("err-" + std::to_string(n) + ".txt");
  Outcome o;
  o.command = command;
  const std::string line = "cd '" + dir.string() + "' && timeout 300 " + command + " >'" + out.string() + "' 2>'" + err.string() + "'";
  const int status = std::system(line.c_str());
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  o.out = slurp(out);
  o.err = slurp(err);
  return o;
}

std::string probe_dir(const char* variant) { return std::string(NASCTL_MPI_PROBE_DIR) + "/" + variant; }

// nasctl search with the probe plugin (version a) on every rank.
std::string search_cmd(const std::string& args, const std::string& plugins = probe_dir("a")) {
  return "env NAS_PLUGIN_PATH='" + plugins + "' " NASCTL_BIN " --no-progress search --no-report " + args;
}

// mpirun as CI runs it: as root (Open MPI refuses without these), more ranks than cores.
std::string mpirun(int ranks, const std::string& env = "") {
  return "env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none " +
         env + " " NASCTL_MPIRUN " --oversubscribe -np " + std::to_string(ranks) + " ";
}

// The CLI tests' analytic config plus the probe: two providers, nsga2 batches of 8.
std::string probe_config(const std::string& extra_probe_keys = "") {
  return nasctl::test::config_with("[[objectives]]", "[[hardware]]\nname = \"probe\"\nplugin = \"mpi-probe\"\n" +
                                                         extra_probe_keys + "\n[[objectives]]");
}

void write(const fs::path& p, const std::string& text) {
  std::ofstream(p) << text;
}

std::vector<nlohmann::json> journal_records(const fs::path& run) {
  std::vector<nlohmann::json> records;
  std::ifstream in(run / "journal.jsonl");
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::json::parse(line);
    if (j.contains("arch")) records.push_back(j);
  }
  return records;
}

std::vector<std::string> log_archs(const fs::path& log) {
  std::vector<std::string> archs;
  std::ifstream in(log);
  for (std::string rank, arch; in >> rank >> arch;) archs.push_back(arch);
  return archs;
}

#define CHECK_RAN(o)                  \
  do {                                \
    INFO("command: " << (o).command); \
    INFO("stderr: " << (o).err);      \
    REQUIRE((o).exit_code == 0);      \
  } while (false)

}  // namespace

#ifdef NASCTL_TEST_MPI

TEST_CASE("mpirun -np 3 gives the same evaluations.csv as one process, and run.json and the journal say who evaluated what") {
  nasctl::test::TempDir tmp("mpi-identity");
  write(tmp.path() / "c.toml", probe_config());
  const Outcome single = shell(search_cmd("-c c.toml -o single"), tmp.path());
  CHECK_RAN(single);
  const Outcome distributed = shell(mpirun(3) + search_cmd("-c c.toml -o distributed"), tmp.path());
  CHECK_RAN(distributed);
  CHECK(distributed.err.find("on 2 MPI worker processes") != std::string::npos);

  const auto expected = rows_without_timing((tmp.path() / "single" / "evaluations.csv").string());
  CHECK(expected.size() == 41);  // header + the budget of 40
  CHECK(rows_without_timing((tmp.path() / "distributed" / "evaluations.csv").string()) == expected);
  CHECK(rows_without_timing((tmp.path() / "distributed" / "pareto.csv").string()) ==
        rows_without_timing((tmp.path() / "single" / "pareto.csv").string()));

  const auto run = nlohmann::json::parse(slurp(tmp.path() / "distributed" / "run.json"));
  REQUIRE(run.contains("distributed"));
  CHECK(run["distributed"]["world_size"] == 3);
  REQUIRE(run["distributed"]["ranks"].size() == 3);
  std::size_t by_workers = 0;
  for (int k = 0; k < 3; ++k) {
    const auto& r = run["distributed"]["ranks"][k];
    CHECK(r["rank"] == k);
    CHECK(!r["host"].get<std::string>().empty());
    CHECK(r["role"] == (k == 0 ? "coordinator" : "worker"));
    if (k == 0) CHECK(r["evaluations"] == 0);
    // Each worker's own providers' conditions; the analytic model names its method.
    if (k > 0) CHECK(r["conditions"]["cost"] == run["providers"]["cost"]["conditions"]);
    if (k > 0) CHECK(!r["conditions"]["cost"].empty());
    by_workers += r["evaluations"].get<std::size_t>();
  }
  CHECK(by_workers == 40);
  CHECK(!nlohmann::json::parse(slurp(tmp.path() / "single" / "run.json")).contains("distributed"));
  for (const auto& rec : journal_records(tmp.path() / "distributed")) {
    CHECK((rec["rank"] == 1 || rec["rank"] == 2));
    CHECK(rec["host"] == run["distributed"]["ranks"][rec["rank"].get<int>()]["host"]);
  }
  for (const auto& rec : journal_records(tmp.path() / "single")) CHECK(!rec.contains("rank"));
}

TEST_CASE("the command plugin's {rank} is the rank that evaluated the candidate") {
  nasctl::test::TempDir tmp("mpi-rank");
  write(tmp.path() / "c.toml",
        nasctl::test::config_with("[[objectives]]",
                                  "[[hardware]]\nname = \"dev\"\nplugin = \"command\"\n"
                                  "shell_command = \"echo latency: {rank}.5 ms\"\nregex = \"latency: ([0-9.]+) ms\"\n\n"
                                  "[[objectives]]"));
  const Outcome o = shell(mpirun(3) + search_cmd("-c c.toml -o run --set budget.evaluations=16"), tmp.path());
  CHECK_RAN(o);
  const auto records = journal_records(tmp.path() / "run");
  CHECK(records.size() == 16);
  for (const auto& rec : records) CHECK(rec["metrics"]["dev.latency_ms"] == rec["rank"].get<int>() + 0.5);
}

TEST_CASE("mpirun -np 1: nothing to distribute, runs locally and says so") {
  nasctl::test::TempDir tmp("mpi-one");
  write(tmp.path() / "c.toml", probe_config());
  const Outcome single = shell(search_cmd("-c c.toml -o single"), tmp.path());
  CHECK_RAN(single);
  const Outcome one = shell(mpirun(1) + search_cmd("-c c.toml -o one"), tmp.path());
  CHECK_RAN(one);
  CHECK(one.err.find("one process: nothing to distribute") != std::string::npos);
  CHECK(rows_without_timing((tmp.path() / "one" / "evaluations.csv").string()) ==
        rows_without_timing((tmp.path() / "single" / "evaluations.csv").string()));
  CHECK(!nlohmann::json::parse(slurp(tmp.path() / "one" / "run.json")).contains("distributed"));
}

// The error line is rank 0's; nothing is written into the run folder.
void check_refused(const Outcome& o, const fs::path& run, const std::vector<std::string>& parts) {
  INFO("command: " << o.command);
  INFO("stderr: " << o.err);
  CHECK(o.exit_code != 0);
  std::size_t lines = 0;
  std::string line;
  std::istringstream err(o.err);
  for (std::string l; std::getline(err, l);) {
    if (l.rfind("nasctl: error: ", 0) == 0) {
      ++lines;
      line = l;
    }
  }
  CHECK(lines == 1);
  for (const auto& p : parts) CHECK_MESSAGE(line.find(p) != std::string::npos, "missing: " << p);
  CHECK(!fs::exists(run / "journal.jsonl"));
}

TEST_CASE("a worker whose plugin differs from rank 0's (another version, or missing) is refused naming rank and host") {
  nasctl::test::TempDir tmp("mpi-plugins");
  write(tmp.path() / "c.toml", probe_config());
  fs::create_directories(tmp.path() / "empty");
  const std::string worker_b = search_cmd("-c c.toml -o run", probe_dir("b"));
  const Outcome other = shell(mpirun(1) + search_cmd("-c c.toml -o run") + " : -np 2 " + worker_b, tmp.path());
  check_refused(other, tmp.path() / "run",
                {"rank 1 (host ", "loaded plugin 'hardware mpi-probe 1.0.1 ", "rank 0 (host ",
                 "loaded 'hardware mpi-probe 1.0.0 ", "fix: install the same plugin files on every node"});

  const std::string worker_none = search_cmd("-c c.toml -o run", (tmp.path() / "empty").string());
  const Outcome missing = shell(mpirun(2) + search_cmd("-c c.toml -o run") + " : -np 1 " + worker_none, tmp.path());
  check_refused(missing, tmp.path() / "run", {"rank 2 (host ", "could not start: ", "mpi-probe"});
}

TEST_CASE("a config that differs between ranks is refused in one line") {
  nasctl::test::TempDir tmp("mpi-config");
  write(tmp.path() / "a.toml", probe_config());
  const Outcome o = shell(mpirun(2) + search_cmd("-c a.toml -o run") + " : -np 1 " + search_cmd("-c a.toml --set seed=8 -o run"),
                          tmp.path());
  check_refused(o, tmp.path() / "run", {"rank 2 (host ", "read a different config than rank 0 (host "});
}

TEST_CASE("rank 0 refusing the run folder stops the workers too, and the journal keeps every line") {
  nasctl::test::TempDir tmp("mpi-folder");
  write(tmp.path() / "c.toml", probe_config());
  CHECK_RAN(shell(mpirun(3) + search_cmd("-c c.toml -o run"), tmp.path()));
  const std::string journal = slurp(tmp.path() / "run" / "journal.jsonl");
  for (const std::string& args : {std::string("-c c.toml -o run"), std::string("--resume run --set seed=9")}) {
    const Outcome o = shell(mpirun(3) + search_cmd(args), tmp.path());
    INFO("stderr: " << o.err);
    CHECK(o.exit_code == 2);
    CHECK(o.err.find("nasctl: error: run") != std::string::npos);
    CHECK(slurp(tmp.path() / "run" / "journal.jsonl") == journal);
  }
}

TEST_CASE("a worker whose provider throws: the candidate fails as in one process, the rest is kept") {
  nasctl::test::TempDir tmp("mpi-throw");
  write(tmp.path() / "c.toml", probe_config("fail_modulo = 11\n"));
  const Outcome single = shell(search_cmd("-c c.toml -o single"), tmp.path());
  const Outcome distributed = shell(mpirun(3) + search_cmd("-c c.toml -o distributed"), tmp.path());
  INFO("stderr: " << distributed.err);
  REQUIRE(single.exit_code == 2);  // a failed evaluation stops the run (fix, then --resume)
  CHECK(distributed.exit_code == 2);
  CHECK(distributed.err.find("probe: refuses choice sum ") != std::string::npos);
  CHECK(rows_without_timing((tmp.path() / "distributed" / "evaluations.csv").string()) ==
        rows_without_timing((tmp.path() / "single" / "evaluations.csv").string()));
  const auto journaled = journal_records(tmp.path() / "distributed");
  CHECK(journaled.size() == journal_records(tmp.path() / "single").size());
  for (const auto& rec : journaled) CHECK(!rec.contains("error"));
}

TEST_CASE("a worker killed with SIGKILL brings the job down, and --resume on another rank count re-evaluates nothing") {
  nasctl::test::TempDir tmp("mpi-kill");
  write(tmp.path() / "c.toml", probe_config());
  const Outcome single = shell(search_cmd("-c c.toml -o single"), tmp.path());
  CHECK_RAN(single);

  const fs::path log1 = tmp.path() / "first.log";
  const Outcome killed = shell(mpirun(3, "NASCTL_PROBE_KILL_RANK=1 NASCTL_PROBE_KILL_AT=5 NASCTL_PROBE_LOG=" + log1.string()) +
                                   search_cmd("-c c.toml -o run"),
                               tmp.path());
  INFO("stderr of the killed run: " << killed.err);
  CHECK(killed.exit_code != 0);
  // Rank 0's line (written from its signal handler) or the launcher's.
  CHECK((killed.err.find("nasctl: rank 0 was signalled") != std::string::npos ||
         killed.err.find("signal 9") != std::string::npos));
  // Rank 1 got its 5th candidate only after rank 0 journaled its 4th.
  const auto first = journal_records(tmp.path() / "run");
  CHECK(first.size() >= 4);
  CHECK(first.size() < 40);
  std::set<std::string> journaled;
  for (const auto& rec : first) journaled.insert(rec["arch"].get<std::string>());

  for (const int ranks : {2, 4}) {
    CAPTURE(ranks);
    const fs::path log2 = tmp.path() / ("resume-" + std::to_string(ranks) + ".log");
    const Outcome resumed = shell(mpirun(ranks, "NASCTL_PROBE_LOG=" + log2.string()) + search_cmd("--resume run"), tmp.path());
    CHECK_RAN(resumed);
    for (const auto& arch : log_archs(log2)) CHECK_MESSAGE(journaled.count(arch) == 0, "evaluated again: " << arch);
    CHECK(rows_without_timing((tmp.path() / "run" / "evaluations.csv").string()) ==
          rows_without_timing((tmp.path() / "single" / "evaluations.csv").string()));
    for (const auto& rec : journal_records(tmp.path() / "run")) journaled.insert(rec["arch"].get<std::string>());
    // The second resume (4 ranks) finds the run complete: it evaluates nothing.
  }
  CHECK(log_archs(tmp.path() / "resume-4.log").empty());
  const auto run = nlohmann::json::parse(slurp(tmp.path() / "run" / "run.json"));
  CHECK(run["distributed"]["world_size"] == 4);
  CHECK(run["replayed_from_journal"] == 40);
}

#elif defined(NASCTL_TEST_NO_MPI)

TEST_CASE("built without MPI: a launched nasctl search says so in one line") {
  CHECK(!nasctl::runtime::mpi_built());
  nasctl::test::TempDir tmp("mpi-none");
  write(tmp.path() / "c.toml", probe_config());
  // What mpirun would set; no MPI is needed to see it.
  const Outcome o = shell("env OMPI_COMM_WORLD_SIZE=3 " + search_cmd("-c c.toml -o run"), tmp.path());
  INFO("stderr: " << o.err);
  CHECK(o.exit_code == 2);
  CHECK(o.err.find("nasctl: error: started by an MPI launcher (OMPI_COMM_WORLD_SIZE=3) but this nasctl was built "
                   "without MPI support") != std::string::npos);
  CHECK(!fs::exists(tmp.path() / "run"));
}

#endif  // NASCTL_TEST_MPI
