// Writing torch.save files: the same zip layout (data.pkl, data/<key>,
// version, byteorder) through LibTorch's zip writer, and the same pickle
// Python writes for {'state_dict': OrderedDict(name -> tensor)} at protocol
// 2, so torch.load reads it (weights_only too: only OrderedDict, typed
// storage classes and _rebuild_tensor_v2 are named).
#include <ATen/ATen.h>
#include <c10/util/Exception.h>
#include <caffe2/serialize/inline_container.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "nasctl/atomic_file.hpp"
#include "nasctl/error.hpp"
#include "nasctl/supernet/checkpoint.hpp"
#include "storage_types.hpp"

namespace nasctl::supernet {

namespace {

class PickleWriter {
 public:
  void proto() { out_ += "\x80\x02"; }
  void stop() { out_ += '.'; }
  void mark() { out_ += '('; }
  void tuple() { out_ += 't'; }
  void empty_tuple() { out_ += ')'; }
  void empty_dict() { out_ += '}'; }
  void set_item() { out_ += 's'; }
  void set_items() { out_ += 'u'; }
  void reduce() { out_ += 'R'; }
  void persistent_id() { out_ += 'Q'; }
  void boolean(bool v) { out_ += v ? '\x88' : '\x89'; }
  void global(const std::string& module, const std::string& name) { out_ += "c" + module + "\n" + name + "\n"; }
  void string(const std::string& s) {
    out_ += 'X';
    little_endian(s.size(), 4);
    out_ += s;
  }
  void integer(int64_t v) {
    if (v >= INT32_MIN && v <= INT32_MAX) {
      out_ += 'J';  // BININT
      little_endian(static_cast<uint64_t>(static_cast<uint32_t>(static_cast<int32_t>(v))), 4);
      return;
    }
    out_ += "\x8a\x08";  // LONG1 of 8 bytes, two's complement
    little_endian(static_cast<uint64_t>(v), 8);
  }
  void int_tuple(at::IntArrayRef values) {
    mark();
    for (int64_t v : values) integer(v);
    tuple();
  }
  // collections.OrderedDict(): what backward_hooks and state dicts are.
  void ordered_dict() {
    global("collections", "OrderedDict");
    empty_tuple();
    reduce();
  }
  const std::string& bytes() const { return out_; }

 private:
  void little_endian(uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out_ += static_cast<char>((v >> (8 * i)) & 0xff);
  }
  std::string out_;
};

}  // namespace

void write_checkpoint(const StateDict& state, const std::string& path) {
  PickleWriter pickle;
  std::vector<at::Tensor> storages;
  pickle.proto();
  pickle.empty_dict();
  pickle.string("state_dict");
  pickle.ordered_dict();
  pickle.mark();
  for (const std::string& name : state.names()) {
    const at::Tensor tensor = state.at(name).detach().to(at::kCPU).contiguous();
    const auto storage_class = detail::storage_class(tensor.scalar_type());
    if (!storage_class)
      throw Error(path + ": tensor '" + name + "' has dtype " + std::string(c10::toString(tensor.scalar_type())) +
                  ", which a checkpoint cannot store; fix: convert it to float32 first");
    const std::string key = std::to_string(storages.size());
    storages.push_back(tensor);
    pickle.string(name);
    pickle.global("torch._utils", "_rebuild_tensor_v2");
    pickle.mark();
    pickle.mark();  // the persistent id of the storage
    pickle.string("storage");
    pickle.global("torch", *storage_class);
    pickle.string(key);
    pickle.string("cpu");
    pickle.integer(tensor.numel());
    pickle.tuple();
    pickle.persistent_id();
    pickle.integer(0);  // storage offset
    pickle.int_tuple(tensor.sizes());
    pickle.int_tuple(tensor.strides());
    pickle.boolean(false);  // requires_grad
    pickle.ordered_dict();  // backward hooks
    pickle.tuple();
    pickle.reduce();
  }
  pickle.set_items();
  pickle.set_item();
  pickle.stop();

  std::string archive;
  try {
    caffe2::serialize::PyTorchStreamWriter writer([&](const void* data, std::size_t size) {
      archive.append(static_cast<const char*>(data), size);
      return size;
    });
    writer.writeRecord("data.pkl", pickle.bytes().data(), pickle.bytes().size());
    writer.writeRecord("byteorder", "little", 6);
    for (std::size_t i = 0; i < storages.size(); ++i) {
      const at::Tensor& t = storages[i];
      writer.writeRecord("data/" + std::to_string(i), t.data_ptr(), t.numel() * t.element_size());
    }
    writer.writeEndOfFile();
  } catch (const c10::Error& e) {
    const std::string text = e.what_without_backtrace();
    throw Error(path + ": the checkpoint could not be assembled (" + text.substr(0, text.find('\n')) +
                "); fix: report this as a bug");
  }
  write_file_atomically(path, archive, "the checkpoint");
}

}  // namespace nasctl::supernet
