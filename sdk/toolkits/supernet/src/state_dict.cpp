#include "nasctl/supernet/state_dict.hpp"

#include <ATen/core/Tensor.h>

#include <unordered_map>
#include <utility>

#include "nasctl/error.hpp"

namespace nasctl::supernet {

struct StateDict::Impl {
  std::vector<std::string> names;
  std::vector<at::Tensor> tensors;
  std::unordered_map<std::string, std::size_t> index;
};

StateDict::StateDict() : impl_(std::make_unique<Impl>()) {}
StateDict::~StateDict() = default;
StateDict::StateDict(const StateDict& other) : impl_(std::make_unique<Impl>(*other.impl_)) {}
StateDict& StateDict::operator=(const StateDict& other) {
  if (this != &other) impl_ = std::make_unique<Impl>(*other.impl_);
  return *this;
}
// A moved-from dict is empty, not broken: it gets a fresh Impl.
StateDict::StateDict(StateDict&& other) noexcept : impl_(std::exchange(other.impl_, std::make_unique<Impl>())) {}
StateDict& StateDict::operator=(StateDict&& other) noexcept {
  if (this != &other) impl_ = std::exchange(other.impl_, std::make_unique<Impl>());
  return *this;
}

void StateDict::set(const std::string& name, const at::Tensor& tensor) {
  const auto [it, inserted] = impl_->index.emplace(name, impl_->names.size());
  if (!inserted) {
    impl_->tensors[it->second] = tensor;
    return;
  }
  impl_->names.push_back(name);
  impl_->tensors.push_back(tensor);
}

bool StateDict::erase(const std::string& name) {
  const auto it = impl_->index.find(name);
  if (it == impl_->index.end()) return false;
  const std::size_t position = it->second;
  impl_->names.erase(impl_->names.begin() + static_cast<std::ptrdiff_t>(position));
  impl_->tensors.erase(impl_->tensors.begin() + static_cast<std::ptrdiff_t>(position));
  impl_->index.erase(it);
  for (auto& entry : impl_->index) {
    if (entry.second > position) --entry.second;
  }
  return true;
}

bool StateDict::contains(const std::string& name) const { return impl_->index.count(name) != 0; }

const at::Tensor* StateDict::find(const std::string& name) const {
  const auto it = impl_->index.find(name);
  return it == impl_->index.end() ? nullptr : &impl_->tensors[it->second];
}

const at::Tensor& StateDict::at(const std::string& name) const {
  if (const at::Tensor* tensor = find(name)) return *tensor;
  throw Error("state dict: no tensor named '" + name + "'; fix: use one of the names the dict lists");
}

const std::vector<std::string>& StateDict::names() const { return impl_->names; }
std::size_t StateDict::size() const { return impl_->names.size(); }
bool StateDict::empty() const { return impl_->names.empty(); }

}  // namespace nasctl::supernet
