// The "command" plugin with local scripts standing in for a remote device:
// latency found by regex and by JSON key, placeholders filled in safely, a
// failing, hanging or number-less device turned into a one-line error that
// shows the output, retries, and config mistakes caught at construction.
#include <doctest/doctest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "command_model.hpp"
#include "command_template.hpp"
#include "hw_test_support.hpp"
#include "nasctl/error.hpp"
#include "subprocess.hpp"

using namespace nasctl;
using nasctl::hardware::command::CommandModel;

namespace {

NetworkSpec small_net() {
  NetworkBuilder b("small", {3, 16, 16});
  b.conv(8, 3, 2, 1, true, ActivationKind::ReLU);
  b.global_avg_pool();
  b.linear(4, true);
  return std::move(b).finish();
}

const std::string kArch = "ks=3,5;e=4;d=2;r=224";

std::unique_ptr<CommandModel> make(const test::HwScratch& dir, std::map<std::string, ConfigValue> given) {
  const PluginConfig config = test::hw_config(CommandModel::config_keys(), given, dir.path());
  return std::make_unique<CommandModel>(PluginContext{config, "phone", 42});
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string error_of(CommandModel& model) {
  try {
    model.measure(small_net(), kArch);
  } catch (const EvaluationError& e) {
    return e.what();
  }
  return "(no error)";
}

using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("the latency is the first capture group of the regex in the device's output") {
  test::HwScratch dir;
  const std::string bench = dir.script("bench.sh", "echo 'loading model'\necho 'latency: 12.5 ms'\necho 'latency: 99 ms'\n");
  auto model = make(dir, {{"command", Strings{bench, "{model}"}}, {"regex", std::string("latency: ([0-9.]+) ms")}});
  CHECK(model->measure(small_net(), kArch) == doctest::Approx(12.5));
  CHECK(model->needs_exclusive_machine());
  CHECK(model->metrics().at(0).name == "latency_ms");
}

TEST_CASE("the latency can be a dotted key of JSON output, also on the last line after log lines") {
  test::HwScratch dir;
  const std::string bench =
      dir.script("bench.sh", "echo 'INFO: starting'\necho '{\"stats\": {\"mean_us\": 3250, \"runs\": [7, 8.5]}}'\n");
  auto mean = make(dir, {{"command", Strings{bench}}, {"json_key", std::string("stats.mean_us")}, {"unit", std::string("us")}});
  CHECK(mean->measure(small_net(), kArch) == doctest::Approx(3.25));
  auto second_run = make(dir, {{"command", Strings{bench}}, {"json_key", std::string("stats.runs.1")}});
  CHECK(second_run->measure(small_net(), kArch) == doctest::Approx(8.5));
  auto missing = make(dir, {{"command", Strings{bench}}, {"json_key", std::string("stats.p50")}, {"retries", int64_t{0}}});
  CHECK(error_of(*missing).find("JSON output has no key 'stats.p50'") != std::string::npos);
}

TEST_CASE("{model} is an exported TorchScript archive and {arch}/{batch} reach the command as single arguments") {
  test::HwScratch dir;
  const std::string bench = dir.script("bench.sh",
                                       "cp \"$1\" \"$(dirname \"$0\")/model-copy.pt\"\n"
                                       "printf '%s\\n' \"$2\" > \"$(dirname \"$0\")/arch.txt\"\n"
                                       "echo \"args=$# batch=$3\"\necho 'latency: 1.0 ms'\n");
  auto model = make(dir, {{"command", Strings{bench, "{model}", "{arch}", "{batch}"}},
                          {"regex", std::string("latency: ([0-9.]+)")},
                          {"format", std::string("torchscript")},
                          {"batch", int64_t{8}}});
  const std::string arch = "a=1;b='x' $(touch pwned)";
  CHECK(model->measure(small_net(), arch) == doctest::Approx(1.0));
  const std::string archive = read(dir / "model-copy.pt");
  CHECK(archive.size() > 1000);
  CHECK(archive.substr(0, 2) == "PK");  // TorchScript archives are zip files
  CHECK(read(dir / "arch.txt") == arch + "\n");
  CHECK_FALSE(std::filesystem::exists(dir / "pwned"));
}

TEST_CASE("shell_command quotes every substituted value as one shell word") {
  test::HwScratch dir;
  const std::string out = dir / "arch.txt";
  auto model = make(dir, {{"shell_command", std::string("printf '%s\\n' {arch} > " + out + " && echo 'latency: 2 ms'")},
                          {"regex", std::string("latency: ([0-9.]+)")}});
  const std::string arch = "a=1;b='x' $(touch " + (dir / "pwned") + ")";
  CHECK(model->measure(small_net(), arch) == doctest::Approx(2.0));
  CHECK(read(out) == arch + "\n");
  CHECK_FALSE(std::filesystem::exists(dir / "pwned"));
  CHECK(hardware::command::shell_quote("it's") == "'it'\\''s'");
}

TEST_CASE("{rank} and {local_rank} are the MPI rank nasctl search set (NASCTL_RANK), 0 without one") {
  test::HwScratch dir;
  auto model = make(dir, {{"shell_command", std::string("echo latency: 1{rank}.{local_rank} ms")},
                          {"regex", std::string("latency: ([0-9.]+) ms")}});
  ::unsetenv("NASCTL_RANK");
  ::unsetenv("NASCTL_LOCAL_RANK");
  CHECK(model->measure(small_net(), kArch) == doctest::Approx(10.0));
  ::setenv("NASCTL_RANK", "7", 1);
  ::setenv("NASCTL_LOCAL_RANK", "3", 1);
  CHECK(model->measure(small_net(), kArch) == doctest::Approx(17.3));
  ::unsetenv("NASCTL_RANK");
  ::unsetenv("NASCTL_LOCAL_RANK");
}

TEST_CASE("a failing device command is an error showing its exit code and last output lines") {
  test::HwScratch dir;
  const std::string bench = dir.script("fail.sh", "echo 'connecting to device'\necho 'error: no devices/emulators found' >&2\nexit 3\n");
  auto model = make(dir, {{"command", Strings{bench, "{model}"}}, {"regex", std::string("latency: ([0-9.]+)")}, {"retries", int64_t{0}}});
  const std::string message = error_of(*model);
  CHECK(message.find("command 'phone': " + kArch + ": exit code 3 (1 attempt)") == 0);
  CHECK(message.find("last output: \"connecting to device | stderr: error: no devices/emulators found\"") != std::string::npos);
  CHECK(message.find("fix: run the command by hand") != std::string::npos);
  CHECK(message.find('\n') == std::string::npos);
}

TEST_CASE("a hanging device command is killed at the timeout, with everything it started") {
  test::HwScratch dir;
  const std::string pid_file = dir / "child.pid";
  const std::string bench = dir.script("hang.sh", "sleep 60 &\necho $! > " + pid_file + "\necho 'waiting for device'\nsleep 60\n");
  auto model = make(dir, {{"command", Strings{bench}}, {"regex", std::string("latency: ([0-9.]+)")},
                          {"timeout_s", 2.0}, {"retries", int64_t{0}}});
  const auto start = std::chrono::steady_clock::now();
  const std::string message = error_of(*model);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // 2 s leaves the script time to start and write its pid on a loaded
  // machine; killed at the timeout it ends far sooner than its 60 s sleeps.
  CHECK(seconds < 30.0);
  CHECK(message.find("timed out after") != std::string::npos);
  CHECK(message.find("waiting for device") != std::string::npos);
  CHECK(message.find("fix: raise timeout_s (now 2)") != std::string::npos);
  const pid_t child = static_cast<pid_t>(std::stol(read(pid_file)));
  // The background sleep was in the command's process group: it is gone too
  // (give the kernel a moment to reap it through init).
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    gone = ::kill(child, 0) != 0;
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(gone);
}

TEST_CASE("output without a number is an error that says what was looked for and shows the output") {
  test::HwScratch dir;
  const std::string bench = dir.script("nonumber.sh", "echo 'benchmark done'\necho 'latency: n/a'\n");
  auto model = make(dir, {{"command", Strings{bench}}, {"regex", std::string("latency: ([0-9.]+) ms")}, {"retries", int64_t{0}}});
  const std::string message = error_of(*model);
  CHECK(message.find("exit code 0 but no match of regex 'latency: ([0-9.]+) ms' in the output") != std::string::npos);
  CHECK(message.find("last output: \"benchmark done | latency: n/a\"") != std::string::npos);
  CHECK(message.find("fix: adjust regex") != std::string::npos);

  const std::string zero = dir.script("zero.sh", "echo 'latency: 0 ms'\n");
  auto zero_model = make(dir, {{"command", Strings{zero}}, {"regex", std::string("latency: ([0-9.]+) ms")}, {"retries", int64_t{0}}});
  CHECK(error_of(*zero_model).find("not a positive number") != std::string::npos);
}

TEST_CASE("failed runs are retried, and the error counts the attempts") {
  test::HwScratch dir;
  const std::string counter = dir / "runs";
  const std::string bench = dir.script("flaky.sh",
                                       "n=$(cat " + counter + " 2>/dev/null || echo 0); n=$((n+1)); echo $n > " + counter +
                                           "\nif [ $n -le 2 ]; then echo 'device busy'; exit 1; fi\necho 'latency: 4.5 ms'\n");
  auto enough = make(dir, {{"command", Strings{bench}}, {"regex", std::string("latency: ([0-9.]+)")}, {"retries", int64_t{2}}});
  CHECK(enough->measure(small_net(), kArch) == doctest::Approx(4.5));
  CHECK(read(counter) == "3\n");

  std::filesystem::remove(counter);
  auto too_few = make(dir, {{"command", Strings{bench}}, {"regex", std::string("latency: ([0-9.]+)")}, {"retries", int64_t{1}}});
  CHECK(error_of(*too_few).find("exit code 1 (2 attempts); last output: \"device busy\"") != std::string::npos);
}

TEST_CASE("a program that does not exist is reported as such") {
  test::HwScratch dir;
  auto model = make(dir, {{"command", Strings{"/nonexistent/bench"}}, {"regex", std::string("([0-9]+)")}, {"retries", int64_t{0}}});
  const std::string message = error_of(*model);
  CHECK(message.find("could not start ('/nonexistent/bench': No such file or directory)") != std::string::npos);
  CHECK(message.find("fix: check that the program exists") != std::string::npos);
}

TEST_CASE("config mistakes are caught when the plugin is constructed, naming the key") {
  test::HwScratch dir;
  const auto error = [&](std::map<std::string, ConfigValue> given) -> std::string {
    try {
      make(dir, std::move(given));
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "(no error)";
  };
  const ConfigValue regex = std::string("latency: ([0-9.]+)");
  CHECK(error({{"regex", regex}}).find("key 'hardware[0].command': is missing") != std::string::npos);
  CHECK(error({{"command", Strings{"b"}}, {"shell_command", std::string("b")}, {"regex", regex}})
            .find("key 'hardware[0].shell_command': is given together with 'command'") != std::string::npos);
  CHECK(error({{"command", Strings{"b", "{modle}"}}, {"regex", regex}})
            .find("unknown placeholder '{modle}' (known: {model}, {arch}, {batch}, {rank}, {local_rank})") != std::string::npos);
  CHECK(error({{"command", Strings{"b"}}}).find("key 'hardware[0].regex': is missing") != std::string::npos);
  CHECK(error({{"command", Strings{"b"}}, {"regex", std::string("latency: [0-9.]+")}}).find("has no capture group") !=
        std::string::npos);
  CHECK(error({{"command", Strings{"b"}}, {"regex", std::string("latency: ([0-9.]+")}})
            .find("is not a valid ECMAScript regex") != std::string::npos);
  CHECK(error({{"command", Strings{"b"}}, {"regex", regex}, {"json_key", std::string("a")}})
            .find("key 'hardware[0].json_key': is given together with 'regex'") != std::string::npos);
  CHECK(error({{"command", Strings{"b"}}, {"json_key", std::string("a..b")}}).find("is not a dotted key path") !=
        std::string::npos);
}

TEST_CASE("literal braces are written doubled, and an unclosed brace is refused") {
  hardware::command::Substitutions values{{"model", "/m.pt"}};
  CHECK(hardware::command::substitute("{{\"path\": \"{model}\"}}", values, false) == "{\"path\": \"/m.pt\"}");
  CHECK(hardware::command::template_problem("bench {model").find("is never closed") != std::string::npos);
}

TEST_CASE("last_lines keeps the tail of long output on one line") {
  CHECK(hardware::command::last_lines("a\nb\n\nc\nd\ne\nf\n", 3) == "d | e | f");
  const std::string long_line(1000, 'x');
  CHECK(hardware::command::last_lines(long_line, 5, 50).size() == 53);
}
