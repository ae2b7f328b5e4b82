// Suggestions for misspelt names in error messages.
#pragma once

#include <string>
#include <vector>

namespace nasctl::runtime {

// The candidate closest to `word` by edit distance, if close enough to be a
// plausible typo (distance <= max(2, |word|/3)); empty otherwise.
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);
// "; did you mean 'x'?" or "" — ready to append to a message.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace nasctl::runtime
