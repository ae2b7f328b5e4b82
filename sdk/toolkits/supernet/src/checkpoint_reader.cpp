// Reading torch.save files: the zip container through LibTorch's own reader
// (caffe2::serialize::PyTorchStreamReader, in LibTorch 1.13 and 2.x alike),
// the pickle through nasctl's reader (pickle_reader.hpp says why), tensors
// rebuilt from their storages as torch._utils._rebuild_tensor_v2 does.
#include <ATen/ATen.h>
#include <c10/util/Exception.h>
#include <caffe2/serialize/inline_container.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "nasctl/error.hpp"
#include "nasctl/supernet/checkpoint.hpp"
#include "pickle_reader.hpp"
#include "storage_types.hpp"

namespace nasctl::supernet {

namespace {

using detail::PickleError;
using detail::PickleRef;
using detail::PickleValue;
using Kind = PickleValue::Kind;

// Every torch.save zip starts with a local file header.
constexpr unsigned char kZipMagic[] = {'P', 'K', 0x03, 0x04};
// The legacy format starts with a pickled magic number (protocol 2, LONG1
// of 10 bytes: 0x1950a86a20f9469cfc6c).
constexpr unsigned char kLegacyMagic[] = {0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c,
                                          0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19};

[[noreturn]] void fail(const std::string& path, const std::string& what) { throw Error(path + ": " + what); }

// c10::Error messages carry a C++ backtrace on further lines.
std::string first_line(const c10::Error& e) {
  const std::string text = e.what_without_backtrace();
  return text.substr(0, text.find('\n'));
}

std::string legacy_conversion(const std::string& path) {
  return "is in PyTorch's legacy serialisation (torch.save before PyTorch 1.6, or with "
         "_use_new_zipfile_serialization=False), which nasctl does not read; fix: convert it once with "
         "python3 -c \"import torch; torch.save(torch.load('" +
         path + "', map_location='cpu'), '" + path + ".zip')\" and give nasctl '" + path + ".zip'";
}

// Checks the first bytes and says what the file is when it is no zip.
void check_container(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, std::string("cannot open the checkpoint (") + std::strerror(errno) + "); fix: check the path");
  unsigned char head[sizeof kLegacyMagic] = {};
  in.read(reinterpret_cast<char*>(head), sizeof head);
  const std::size_t got = static_cast<std::size_t>(in.gcount());
  if (got == 0) fail(path, "is empty, not a checkpoint; fix: copy or download the checkpoint again");
  if (got >= sizeof kZipMagic && std::memcmp(head, kZipMagic, sizeof kZipMagic) == 0) return;
  if (got == sizeof kLegacyMagic && std::memcmp(head, kLegacyMagic, sizeof kLegacyMagic) == 0)
    fail(path, legacy_conversion(path));
  if (head[0] == 0x80)
    fail(path, "is a plain Python pickle, not a torch.save checkpoint; fix: save the weights with "
               "torch.save({'state_dict': model.state_dict()}, path)");
  fail(path, "is not a PyTorch checkpoint (neither torch.save's zip archive nor its legacy format); fix: give "
             "the path of a torch.save file, e.g. OFA's ofa_mbv3_d234_e346_k357_w1.0");
}

std::vector<int64_t> int_tuple(const std::string& path, const PickleRef& value, const char* what) {
  if (!value->is(Kind::Tuple)) fail(path, std::string("is damaged: a tensor's ") + what + " is not a tuple; fix: save the checkpoint again");
  std::vector<int64_t> out;
  for (const PickleRef& item : value->items) {
    if (!item->is(Kind::Int)) fail(path, std::string("is damaged: a tensor's ") + what + " holds a non-integer; fix: save the checkpoint again");
    out.push_back(item->integer);
  }
  return out;
}

// Reads storages on demand and rebuilds tensors from them.
class TensorRebuilder {
 public:
  TensorRebuilder(const std::string& path, caffe2::serialize::PyTorchStreamReader& reader)
      : path_(path), reader_(reader) {}

  // ('storage', torch.<Type>Storage, key, location, numel)
  PickleRef storage(const PickleRef& id) {
    if (!id->is(Kind::Tuple) || id->items.size() < 5 || !id->items[0]->is(Kind::String) ||
        id->items[0]->text != "storage" || !id->items[1]->is(Kind::Global) || !id->items[2]->is(Kind::String) ||
        !id->items[4]->is(Kind::Int))
      fail(path_, "holds a persistent id that is not a tensor storage; fix: save plain tensors with torch.save");
    const std::string& key = id->items[2]->text;
    if (const auto it = storages_.find(key); it != storages_.end()) return it->second;
    const auto dtype = detail::storage_dtype(id->items[1]->text);
    if (!dtype)
      fail(path_, "holds a storage of type '" + id->items[1]->text +
                      "', which nasctl does not read; fix: save the weights as float32 tensors");
    const int64_t numel = id->items[4]->integer;
    at::Tensor data = at::empty({numel}, at::TensorOptions().dtype(*dtype));
    const std::string record = "data/" + key;
    if (!reader_.hasRecord(record)) fail(path_, "is damaged: tensor data '" + record + "' is missing; fix: copy or download the checkpoint again");
    auto [bytes, size] = reader_.getRecord(record);
    const std::size_t expected = static_cast<std::size_t>(numel) * data.element_size();
    if (size != expected)
      fail(path_, "is damaged: tensor data '" + record + "' has " + std::to_string(size) + " bytes, " +
                      std::to_string(expected) + " expected; fix: copy or download the checkpoint again");
    if (size > 0) std::memcpy(data.data_ptr(), bytes.get(), size);
    PickleRef value = std::make_shared<PickleValue>();
    value->kind = Kind::Tensor;
    value->tensor = data;
    storages_.emplace(key, value);
    return value;
  }

  // torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])
  // and torch._utils._rebuild_parameter(tensor, requires_grad, hooks[, state]).
  PickleRef call(const std::string& global, const PickleRef& args) {
    if (global == "torch._utils._rebuild_tensor_v2") return rebuild_tensor(args);
    if (global == "torch._utils._rebuild_parameter" || global == "torch._utils._rebuild_parameter_with_state") {
      if (args->items.empty() || !args->items[0]->is(Kind::Tensor))
        fail(path_, "is damaged: a parameter without its tensor; fix: save the checkpoint again");
      return args->items[0];
    }
    if (global.rfind("torch._utils._rebuild_", 0) == 0)
      fail(path_, "holds a tensor saved through '" + global +
                      "' (sparse, quantised or device-specific), which nasctl does not read; fix: save dense CPU "
                      "tensors (state_dict() after .cpu())");
    return nullptr;
  }

 private:
  PickleRef rebuild_tensor(const PickleRef& args) {
    const auto& a = args->items;
    if (a.size() < 4 || !a[0]->is(Kind::Tensor) || !a[1]->is(Kind::Int))
      fail(path_, "is damaged: a tensor without its storage or offset; fix: save the checkpoint again");
    const at::Tensor& storage = a[0]->tensor;
    const int64_t offset = a[1]->integer;
    const std::vector<int64_t> sizes = int_tuple(path_, a[2], "size");
    const std::vector<int64_t> strides = int_tuple(path_, a[3], "stride");
    if (sizes.size() != strides.size()) fail(path_, "is damaged: a tensor's size and stride differ in length; fix: save the checkpoint again");
    // The last element the view reaches must lie inside the storage: a
    // damaged file must not make as_strided read past it.
    int64_t last = offset;
    bool empty = false;
    for (std::size_t d = 0; d < sizes.size(); ++d) {
      if (sizes[d] < 0 || strides[d] < 0) fail(path_, "is damaged: a negative tensor size or stride; fix: save the checkpoint again");
      if (sizes[d] == 0) empty = true;
      else last += (sizes[d] - 1) * strides[d];
    }
    if (offset < 0 || (!empty && last >= storage.numel()))
      fail(path_, "is damaged: a tensor reaches past its storage; fix: copy or download the checkpoint again");
    PickleRef value = std::make_shared<PickleValue>();
    value->kind = Kind::Tensor;
    value->tensor = storage.as_strided(sizes, strides, offset);
    return value;
  }

  const std::string& path_;
  caffe2::serialize::PyTorchStreamReader& reader_;
  std::map<std::string, PickleRef> storages_;
};

bool all_tensors(const PickleValue& dict) {
  for (const auto& [key, value] : dict.entries) {
    if (!value->is(Kind::Tensor)) return false;
  }
  return !dict.entries.empty();
}

// The dict under 'state_dict', or the top-level dict of tensors.
const PickleValue& find_state_dict(const std::string& path, const PickleValue& top) {
  const std::string fix =
      "; fix: save the super-network as torch.save({'state_dict': model.state_dict()}, path), as Once-for-All does";
  if (!top.is(Kind::Dict)) fail(path, "holds no dict at its top level, so no state dict" + fix);
  for (const auto& [key, value] : top.entries) {
    if (key->is(Kind::String) && key->text == "state_dict") {
      if (!value->is(Kind::Dict)) fail(path, "holds a 'state_dict' that is not a dict" + fix);
      return *value;
    }
  }
  if (all_tensors(top)) return top;
  fail(path, "holds neither a 'state_dict' entry nor a dict of tensors" + fix);
}

}  // namespace

StateDict read_checkpoint(const std::string& path) {
  check_container(path);
  std::unique_ptr<caffe2::serialize::PyTorchStreamReader> reader;
  try {
    reader = std::make_unique<caffe2::serialize::PyTorchStreamReader>(path);
  } catch (const c10::Error& e) {
    fail(path, "is a zip file that is cut short or damaged (" + first_line(e) +
                   "); fix: copy or download the checkpoint again");
  }
  try {
    // TorchScript archives hold a data.pkl too, but torch.save never
    // writes constants.pkl.
    if (reader->hasRecord("constants.pkl"))
      fail(path, "is a TorchScript module (torch.jit.save), not a torch.save checkpoint; fix: save the "
                 "super-network's weights with torch.save({'state_dict': model.state_dict()}, path)");
    if (!reader->hasRecord("data.pkl"))
      fail(path, "is a zip file but not a torch.save checkpoint (it has no data.pkl); fix: give the path of a "
                 "torch.save file");
    if (reader->hasRecord("byteorder")) {
      auto [bytes, size] = reader->getRecord("byteorder");
      const std::string order(static_cast<const char*>(bytes.get()), size);
      if (order != "little")
        fail(path, "stores its tensors " + order + "-endian; fix: save it again on a little-endian machine");
    }
    auto [pickle, pickle_size] = reader->getRecord("data.pkl");
    TensorRebuilder rebuilder(path, *reader);
    detail::PickleCalls calls;
    calls.persistent_load = [&](const PickleRef& id) { return rebuilder.storage(id); };
    calls.call = [&](const std::string& global, const PickleRef& args) { return rebuilder.call(global, args); };
    const PickleRef top = detail::read_pickle(static_cast<const char*>(pickle.get()), pickle_size, calls);

    const PickleValue& dict = find_state_dict(path, *top);
    StateDict state;
    for (const auto& [key, value] : dict.entries) {
      if (!key->is(Kind::String)) fail(path, "has a state dict key that is not a string; fix: save model.state_dict()");
      if (!value->is(Kind::Tensor))
        fail(path, "has state dict entry '" + key->text + "' that is not a tensor; fix: save model.state_dict()");
      state.set(key->text, value->tensor);
    }
    return state;
  } catch (const PickleError& e) {
    fail(path, std::string("is damaged or not a torch.save checkpoint: its ") + e.what() +
                   "; fix: copy or download the checkpoint again");
  } catch (const c10::Error& e) {
    fail(path, "is damaged (" + first_line(e) + "); fix: copy or download the checkpoint again");
  }
}

}  // namespace nasctl::supernet
