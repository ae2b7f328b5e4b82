// Replacing a file whole: write a temporary beside it, then rename(2).
// Every file nasctl writes for keeps (run outputs, lookup tables, model
// files) goes through here, so a crash or a full disk never leaves half a
// file under the final name.
#pragma once

#include <string>
#include <vector>

namespace nasctl {

// Writes `bytes` to `path` so that `path` either keeps its old content or has
// all of the new one: the bytes go to "<path>.tmp-XXXXXX" in the same folder
// (rename is atomic only within one file system; the random suffix keeps two
// writers apart), are flushed to disk, and the temporary is renamed over
// `path`. On any failure the temporary is removed and nasctl::Error
// "<path>: <why>; fix: ..." is thrown; `what` names the content in the fix
// ("write the model elsewhere").
void write_file_atomically(const std::string& path, const std::string& bytes, const std::string& what = "the file");

// Removes the temporaries "<path>.tmp-XXXXXX" that a write_file_atomically
// left beside `path` when its process was killed before the rename, and
// returns their paths. Nothing else matches: the suffix is exactly six of the
// characters write_file_atomically draws from. Call it where one process owns
// `path` (a run folder being started or resumed, a table being built): a
// concurrent writer's temporary would be removed too. A missing folder or a
// file that cannot be removed is not an error (the next run tries again).
std::vector<std::string> remove_leftover_temporaries(const std::string& path);

}  // namespace nasctl
