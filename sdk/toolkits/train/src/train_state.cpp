#include "train_state.hpp"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <cstring>

#include "nasctl/error.hpp"
#include "nasctl/supernet/checkpoint.hpp"

namespace nasctl::train::detail {

namespace {

nlohmann::json to_json(const EpochReport& r) {
  return {{"epoch", r.epoch},         {"phase", r.phase},
          {"steps", r.steps},         {"lr", r.lr},
          {"loss", r.loss},           {"train_top1", r.train_top1},
          {"top1_largest", r.top1_largest}, {"top1_smallest", r.top1_smallest},
          {"images_per_second", r.images_per_second}, {"seconds", r.seconds}};
}

EpochReport from_json(const nlohmann::json& j) {
  EpochReport r;
  r.epoch = j.at("epoch").get<int64_t>();
  r.phase = j.at("phase").get<int64_t>();
  r.steps = j.at("steps").get<int64_t>();
  r.lr = j.at("lr").get<double>();
  r.loss = j.at("loss").get<double>();
  r.train_top1 = j.at("train_top1").get<double>();
  r.top1_largest = j.at("top1_largest").get<double>();
  r.top1_smallest = j.at("top1_smallest").get<double>();
  r.images_per_second = j.at("images_per_second").get<double>();
  r.seconds = j.at("seconds").get<double>();
  return r;
}

}  // namespace

void write_state(const std::string& path, const supernet::StateDict& network, const supernet::StateDict& optimiser,
                 const Progress& progress) {
  nlohmann::json record{{"version", kStateVersion},
                        {"epochs_done", progress.epochs_done},
                        {"steps_done", progress.steps_done},
                        {"identity", progress.identity},
                        {"history", nlohmann::json::array()}};
  for (const EpochReport& r : progress.history) record["history"].push_back(to_json(r));
  const std::string text = record.dump();
  at::Tensor bytes = at::empty({static_cast<int64_t>(text.size())}, at::kByte);
  std::memcpy(bytes.data_ptr<uint8_t>(), text.data(), text.size());

  supernet::StateDict all;
  for (const std::string& name : network.names()) all.set(name, network.at(name).detach());
  for (const std::string& name : optimiser.names()) all.set(name, optimiser.at(name));
  all.set(kRecordKey, bytes);
  supernet::write_checkpoint(all, path);
}

SavedState read_state(const std::string& path) {
  supernet::StateDict all = supernet::read_checkpoint(path);
  const at::Tensor* bytes = all.find(kRecordKey);
  if (!bytes || bytes->scalar_type() != at::kByte || bytes->dim() != 1)
    throw Error(path + ": is not a training state of nasctl train (no '" + std::string(kRecordKey) +
                "' record); fix: give --resume the folder of a run nasctl train wrote");
  const at::Tensor contiguous = bytes->contiguous();
  const std::string text(reinterpret_cast<const char*>(contiguous.data_ptr<uint8_t>()),
                         static_cast<std::size_t>(contiguous.numel()));
  SavedState state;
  try {
    const nlohmann::json record = nlohmann::json::parse(text);
    if (record.at("version").get<int>() != kStateVersion)
      throw Error(path + ": training state version " + std::to_string(record.at("version").get<int>()) +
                  ", this nasctl reads version " + std::to_string(kStateVersion) +
                  "; fix: resume with the nasctl that wrote it, or start a new run");
    state.progress.epochs_done = record.at("epochs_done").get<int64_t>();
    state.progress.steps_done = record.at("steps_done").get<int64_t>();
    state.progress.identity = record.at("identity").get<std::map<std::string, std::string>>();
    for (const auto& r : record.at("history")) state.progress.history.push_back(from_json(r));
  } catch (const nlohmann::json::exception& e) {
    throw Error(path + ": its training record is damaged (" + std::string(e.what()) +
                "); fix: start a new run, or restore the file");
  }
  for (const std::string& name : all.names()) {
    if (name == kRecordKey) continue;
    if (name.rfind("optimiser.", 0) == 0) state.optimiser.set(name, all.at(name));
    else state.network.set(name, all.at(name));
  }
  return state;
}

std::string identity_difference(const std::map<std::string, std::string>& stored,
                                const std::map<std::string, std::string>& now) {
  for (const auto& [key, value] : now) {
    const auto it = stored.find(key);
    if (it == stored.end()) return "key '" + key + "' was not set, is " + value;
    if (it->second != value) return "key '" + key + "' was " + it->second + ", is " + value;
  }
  for (const auto& [key, value] : stored)
    if (!now.count(key)) return "key '" + key + "' was " + value + ", is not set";
  return "";
}

}  // namespace nasctl::train::detail
