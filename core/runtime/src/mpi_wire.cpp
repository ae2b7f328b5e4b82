#include "mpi_wire.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "nasctl/error.hpp"

namespace nasctl::runtime::wire {

namespace {

[[noreturn]] void malformed(const std::string& from, const std::string& what) {
  throw Error(from + ": malformed MPI message (" + what + "); fix: run the same nasctl build on every rank");
}

// The fields after the header, checked to be message `kind` with `count` fields in all (0: at least 2).
std::vector<std::string> expect(const std::string& bytes, const std::string& from, const std::string& kind,
                                std::size_t count) {
  std::vector<std::string> f = unpack(bytes, from);
  const std::string header = std::string(kVersion) + " " + kind;
  if (f.empty() || f[0] != header)
    malformed(from, "expected '" + header + "', got '" + (f.empty() ? std::string() : f[0].substr(0, 40)) + "'");
  if (count && f.size() != count)
    malformed(from, header + " with " + std::to_string(f.size()) + " fields, expected " + std::to_string(count));
  return f;
}

}  // namespace

std::string pack(const std::vector<std::string>& fields) {
  std::string out;
  for (const auto& f : fields) {
    out += std::to_string(f.size());
    out += ':';
    out += f;
  }
  return out;
}

std::vector<std::string> unpack(const std::string& bytes, const std::string& from) {
  std::vector<std::string> fields;
  std::size_t at = 0;
  while (at < bytes.size()) {
    const std::size_t colon = bytes.find(':', at);
    if (colon == std::string::npos || colon == at || colon - at > 12) malformed(from, "no field length at byte " + std::to_string(at));
    std::size_t length = 0;
    for (std::size_t i = at; i < colon; ++i) {
      if (bytes[i] < '0' || bytes[i] > '9') malformed(from, "bad field length at byte " + std::to_string(at));
      length = length * 10 + static_cast<std::size_t>(bytes[i] - '0');
    }
    if (length > bytes.size() - colon - 1) malformed(from, "a field runs past the end");
    fields.push_back(bytes.substr(colon + 1, length));
    at = colon + 1 + length;
  }
  return fields;
}

std::string hex_double(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a", v);
  return buf;
}

double parse_double(const std::string& text, const std::string& from) {
  if (text == "nan") return std::nan("");
  if (text == "inf") return HUGE_VAL;
  if (text == "-inf") return -HUGE_VAL;
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0') malformed(from, "'" + text.substr(0, 40) + "' is not a number");
  return v;
}

long long parse_integer(const std::string& text, const std::string& from) {
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno == ERANGE) malformed(from, "'" + text.substr(0, 40) + "' is not a whole number");
  return v;
}

std::string job(std::size_t index, const std::string& canonical) {
  return pack({std::string(kVersion) + " job", std::to_string(index), canonical});
}

Job read_job(const std::string& bytes, const std::string& from) {
  const auto f = expect(bytes, from, "job", 3);
  const long long index = parse_integer(f[1], from);
  if (index < 0) malformed(from, "negative index");
  return {static_cast<std::size_t>(index), f[2]};
}

std::string result(const EvaluationRecord& r) {
  std::vector<std::string> f{std::string(kVersion) + " result", std::to_string(r.index), std::to_string(r.rank), r.host,
                             hex_double(r.seconds), r.error};
  for (const auto& [name, value] : r.metrics) {
    f.push_back(name);
    f.push_back(hex_double(value));
  }
  return pack(f);
}

std::size_t read_result(const std::string& bytes, const std::string& from, EvaluationRecord& into) {
  const auto f = expect(bytes, from, "result", 0);
  if (f.size() < 6 || (f.size() - 6) % 2 != 0) malformed(from, "result with " + std::to_string(f.size()) + " fields");
  const long long index = parse_integer(f[1], from);
  if (index < 0) malformed(from, "negative index");
  into.index = static_cast<std::size_t>(index);
  into.rank = static_cast<int>(parse_integer(f[2], from));
  into.host = f[3];
  into.seconds = parse_double(f[4], from);
  into.error = f[5];
  into.metrics.clear();
  for (std::size_t i = 6; i < f.size(); i += 2) into.metrics[f[i]] = parse_double(f[i + 1], from);
  return into.index;
}

std::string fingerprint(const RankFingerprint& p) {
  std::vector<std::string> f{std::string(kVersion) + " hello",
                             std::to_string(p.who.rank),
                             p.who.host,
                             std::to_string(p.who.pid),
                             p.who.local_rank,
                             p.who.cuda_visible_devices,
                             p.nasctl_version,
                             p.config_digest,
                             p.error,
                             std::to_string(p.plugins.size())};
  f.insert(f.end(), p.plugins.begin(), p.plugins.end());
  // Then the providers' conditions: instance, key, value.
  for (const auto& [instance, conditions] : p.who.conditions) {
    for (const auto& [key, value] : conditions) f.insert(f.end(), {instance, key, value});
  }
  return pack(f);
}

RankFingerprint read_fingerprint(const std::string& bytes, const std::string& from) {
  const auto f = expect(bytes, from, "hello", 0);
  if (f.size() < 10) malformed(from, "hello with " + std::to_string(f.size()) + " fields");
  RankFingerprint p;
  p.who.rank = static_cast<int>(parse_integer(f[1], from));
  p.who.host = f[2];
  p.who.pid = static_cast<long>(parse_integer(f[3], from));
  p.who.local_rank = f[4];
  p.who.cuda_visible_devices = f[5];
  p.nasctl_version = f[6];
  p.config_digest = f[7];
  p.error = f[8];
  const long long plugins = parse_integer(f[9], from);
  if (plugins < 0 || static_cast<std::size_t>(plugins) > f.size() - 10 || (f.size() - 10 - plugins) % 3 != 0)
    malformed(from, "hello with " + std::to_string(f.size()) + " fields for " + f[9] + " plugins");
  const auto conditions = f.begin() + 10 + plugins;
  p.plugins.assign(f.begin() + 10, conditions);
  for (auto it = conditions; it != f.end(); it += 3) p.who.conditions[*it][*(it + 1)] = *(it + 2);
  return p;
}

}  // namespace nasctl::runtime::wire
