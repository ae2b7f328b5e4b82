// A search plugin whose factory fails: with fail = "runtime" its constructor
// throws std::runtime_error (a plugin bug: the loader must turn it into one
// line naming the plugin), with fail = "config" it rejects its config the
// documented way (ctx.config.fail, passed through unchanged).
#include <stdexcept>

#include "nasctl/export.hpp"

namespace {

class ThrowingSearch : public nasctl::SearchStrategy {
 public:
  explicit ThrowingSearch(const nasctl::PluginContext& ctx) {
    if (ctx.config.get_string("fail") == "config")
      ctx.config.fail("fail", "is \"config\", which this plugin refuses; fix: set fail = \"none\"");
    if (ctx.config.get_string("fail") == "runtime") throw std::runtime_error("cannot allocate the population buffer");
  }
  void start(const nasctl::Problem& problem) override { space_ = problem.space; }
  std::vector<nasctl::Architecture> ask(std::size_t) override { return {}; }
  void tell(const std::vector<nasctl::Evaluation>&) override {}

 private:
  const nasctl::SearchSpace* space_ = nullptr;
};

nasctl::PluginInfo describe() {
  return {"throwing", "0.0.1", "Test plugin whose factory throws",
          {nasctl::ConfigKey::choice("fail", "runtime", {"runtime", "config", "none"}, "How construction fails")}};
}

}  // namespace

NASCTL_EXPORT_SEARCH(ThrowingSearch, describe)
