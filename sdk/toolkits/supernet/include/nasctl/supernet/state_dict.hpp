// StateDict: named tensors in a fixed order, what a checkpoint holds and what
// a super-network or sub-network hands out. LibTorch's tensor type is only
// declared here: code that reads the tensors includes ATen itself.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace at {
class Tensor;
}

namespace nasctl::supernet {

class StateDict {
 public:
  StateDict();
  ~StateDict();
  StateDict(const StateDict& other);
  StateDict& operator=(const StateDict& other);
  StateDict(StateDict&& other) noexcept;
  StateDict& operator=(StateDict&& other) noexcept;

  // Adds `tensor` under `name`, after the others; a name already present
  // keeps its place and gets the new tensor. The tensor is held, not copied.
  void set(const std::string& name, const at::Tensor& tensor);
  // Removes `name`; false if it was not there.
  bool erase(const std::string& name);

  bool contains(const std::string& name) const;
  // nullptr when absent.
  const at::Tensor* find(const std::string& name) const;
  // Throws nasctl::Error naming the key when absent.
  const at::Tensor& at(const std::string& name) const;

  // Names in insertion order.
  const std::vector<std::string>& names() const;
  std::size_t size() const;
  bool empty() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nasctl::supernet
