// SHA-256 of a file, for run.json: which checkpoint an accuracy was measured
// with, comparable with `sha256sum` and with the digests model hubs publish.
// Computed by OpenSSL's libcrypto (Debian's libssl-dev), the library made
// for it.
#pragma once

#include <string>

namespace nasctl::accuracy::supernet {

// The digest of the file's bytes as 64 lower-case hexadecimal digits, read
// in 1 MiB chunks. Throws nasctl::Error naming `path` when it cannot be read.
std::string sha256_of_file(const std::string& path);

}  // namespace nasctl::accuracy::supernet
