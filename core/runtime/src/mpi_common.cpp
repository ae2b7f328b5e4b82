// The parts of distributed evaluation that need no MPI: how a launch is
// detected, what each rank's fingerprint holds and how they are compared.
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "nasctl/runtime/mpi.hpp"

namespace nasctl::runtime {

namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string who(const RankInfo& r) { return "rank " + std::to_string(r.rank) + " (host " + r.host + ")"; }

constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;

std::string hex64(std::uint64_t h) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string plugin_entry(const LoadedPlugin& p) {
  return std::string(to_string(p.descriptor.kind)) + " " + p.descriptor.info.name + " " + p.descriptor.info.version +
         " " + file_digest(p.file);
}

}  // namespace

std::string mpi_launcher() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"}) {
    if (const char* v = std::getenv(name)) return std::string(name) + "=" + v;
  }
  return "";
}

std::string fnv1a_hex(const std::string& text) {
  std::uint64_t h = kFnvOffset;
  for (unsigned char c : text) h = (h ^ c) * kFnvPrime;
  return hex64(h);
}

std::string file_digest(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "unreadable";
  std::uint64_t h = kFnvOffset;
  char block[1 << 16];
  while (in) {
    in.read(block, sizeof block);
    const std::streamsize n = in.gcount();
    for (std::streamsize i = 0; i < n; ++i) h = (h ^ static_cast<unsigned char>(block[i])) * kFnvPrime;
  }
  return hex64(h);
}

RankFingerprint fingerprint_of(const Session* session, const std::string& error) {
  RankFingerprint f;
  char host[256] = {0};
  ::gethostname(host, sizeof host - 1);
  f.who.host = host;
  f.who.pid = static_cast<long>(::getpid());
  for (const char* name : {"OMPI_COMM_WORLD_LOCAL_RANK", "MPI_LOCALRANKID", "SLURM_LOCALID", "PMIX_LOCAL_RANK"}) {
    if (f.who.local_rank.empty()) f.who.local_rank = env(name);
  }
  f.who.cuda_visible_devices = env("CUDA_VISIBLE_DEVICES");
  f.nasctl_version = NASCTL_VERSION;
  f.error = error;
  if (session) {
    f.config_digest = fnv1a_hex(session->config.resolved_toml);
    f.plugins.push_back(plugin_entry(*session->space_plugin));
    for (const auto& p : session->providers) {
      f.plugins.push_back(plugin_entry(*p.plugin));
      f.who.conditions[p.instance] = p.provider->conditions();  // this rank's device, threads, ...
    }
  }
  return f;
}

std::string compare_fingerprints(const std::vector<RankFingerprint>& all) {
  if (all.empty()) return "";
  const RankFingerprint& zero = all[0];
  if (!zero.error.empty()) return zero.error;
  for (std::size_t k = 1; k < all.size(); ++k) {
    const RankFingerprint& f = all[k];
    if (!f.error.empty()) return who(f.who) + " could not start: " + f.error;
    if (f.nasctl_version != zero.nasctl_version)
      return who(f.who) + " runs nasctl " + f.nasctl_version + ", " + who(zero.who) + " runs nasctl " + zero.nasctl_version +
             "; fix: install the same nasctl on every node";
    if (f.config_digest != zero.config_digest)
      return who(f.who) + " read a different config than " + who(zero.who) + " (resolved config digest " + f.config_digest +
             " vs " + zero.config_digest + "); fix: give every rank the same -c file (on a shared path), --set overrides and data";
    for (std::size_t i = 0; i < std::max(f.plugins.size(), zero.plugins.size()); ++i) {
      const std::string theirs = i < f.plugins.size() ? f.plugins[i] : "nothing";
      const std::string ours = i < zero.plugins.size() ? zero.plugins[i] : "nothing";
      if (theirs != ours)
        return who(f.who) + " loaded plugin '" + theirs + "' where " + who(zero.who) + " loaded '" + ours +
               "' (kind, name, version, file digest); fix: install the same plugin files on every node "
               "(check NAS_PLUGIN_PATH and [plugins] paths there)";
    }
  }
  return "";
}

}  // namespace nasctl::runtime
