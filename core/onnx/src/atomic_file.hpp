// Replacing a file whole: write a temporary beside it, then rename(2).
#pragma once

#include <string>

namespace nasctl::model_export {

// Writes `bytes` to `path` so that `path` either keeps its old content or has
// all of the new one: the bytes go to "<path>.tmp-XXXXXX" in the same folder
// (rename is atomic only within one file system), are flushed to disk, and
// the temporary is renamed over `path`. On any failure the temporary is
// removed and nasctl::Error "<path>: <why>; fix: ..." is thrown.
void write_file_atomically(const std::string& path, const std::string& bytes);

}  // namespace nasctl::model_export
