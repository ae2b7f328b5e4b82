// Checkpoint files as PyTorch writes them: torch.save's zip archive
// (PyTorch >= 1.6) of a pickled dict whose tensors are stored beside it.
// Once-for-All publishes its super-networks as torch.save({'state_dict':
// model.state_dict()}, path); docs/supernet.md describes the format and the
// errors.
#pragma once

#include <string>

#include "nasctl/supernet/state_dict.hpp"

namespace nasctl::supernet {

// The state dict of a torch.save file: the dict stored under 'state_dict',
// or the top-level dict itself when every value in it is a tensor. Tensors
// keep their stored dtype and are on the CPU.
//
// Throws nasctl::Error, one line naming `path`, for a file that cannot be
// read, is empty, cut short or damaged, is in PyTorch's legacy (pre-1.6)
// format (the message gives the one-line Python conversion), is a
// TorchScript module or another kind of file, or holds no state dict.
StateDict read_checkpoint(const std::string& path);

// Writes `state` as torch.save({'state_dict': state}, path) would, readable
// by read_checkpoint and by Python's torch.load. Tensors are written from
// the CPU, contiguous. Replaces `path` atomically.
void write_checkpoint(const StateDict& state, const std::string& path);

}  // namespace nasctl::supernet
