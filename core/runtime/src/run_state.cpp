#include "run_state.hpp"

#include "nasctl/error.hpp"
#include "nasctl/search_space.hpp"

namespace nasctl::runtime {

AdmittedBatch RunState::admit(std::vector<Architecture> asks, const SearchSpace& space, JournalReplay& replay,
                              const std::string& search_plugin, std::size_t& replayed) {
  AdmittedBatch batch;
  batch.first_new = records_.size();
  batch.record_of_ask.resize(asks.size());
  batch.known_before.assign(asks.size(), false);
  for (std::size_t i = 0; i < asks.size(); ++i) {
    try {
      space.check(asks[i]);
    } catch (const Error& e) {
      throw Error("search plugin '" + search_plugin + "' proposed an invalid architecture: " + e.what());
    }
    Architecture canonical = space.canonicalize(asks[i]);
    std::string text = space.to_string(canonical);
    if (auto it = index_of_.find(text); it != index_of_.end()) {
      batch.record_of_ask[i] = it->second;
      batch.known_before[i] = it->second < batch.first_new;
      continue;
    }
    const std::size_t index = records_.size();
    index_of_.emplace(text, index);
    batch.record_of_ask[i] = index;
    EvaluationRecord& r = records_.emplace_back();
    r.index = index;
    if (const EvaluationRecord* journaled = replay.find(text, canonical)) {
      r = *journaled;  // replayed: metrics as first measured
      r.index = index;
      replay.replayed(r);
      ++replayed;
      continue;
    }
    replay.end();
    r.canonical = std::move(text);
    r.arch = std::move(canonical);
    batch.to_evaluate.push_back(&r);
  }
  batch.asks = std::move(asks);
  return batch;
}

std::size_t RunState::score_from(std::size_t first, const Problem& problem) {
  std::size_t feasible = 0;
  for (std::size_t i = first; i < records_.size(); ++i) {
    score(records_[i], problem);
    if (records_[i].feasible()) ++feasible;
  }
  return feasible;
}

std::vector<Evaluation> RunState::answers(AdmittedBatch& batch) const {
  std::vector<Evaluation> results(batch.asks.size());
  for (std::size_t i = 0; i < batch.asks.size(); ++i) {
    const std::size_t k = batch.record_of_ask[i];
    results[i].arch = std::move(batch.asks[i]);
    results[i].metrics = records_[k].metrics;
    results[i].objectives = records_[k].objectives;
    results[i].violation = records_[k].violation;
    results[i].known = batch.known_before[i];
  }
  return results;
}

void RunState::drop_from(std::size_t first, const std::function<bool(const EvaluationRecord&)>& drop) {
  for (std::size_t i = records_.size(); i-- > first;) {
    if (!drop(records_[i])) continue;
    records_.erase(records_.begin() + static_cast<std::ptrdiff_t>(i));
  }
}

std::size_t RunState::feasible() const {
  std::size_t n = 0;
  for (const EvaluationRecord& r : records_) n += r.feasible() ? 1 : 0;
  return n;
}

}  // namespace nasctl::runtime
