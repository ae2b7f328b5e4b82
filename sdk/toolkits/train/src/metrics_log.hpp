// metrics.csv: one row per finished epoch (the whole history, also of
// earlier sessions of a resumed run), replaced whole after every epoch.
#pragma once

#include <string>
#include <vector>

#include "nasctl/train/trainer.hpp"

namespace nasctl::train::detail {

void write_metrics(const std::string& path, const std::vector<EpochReport>& history);

}  // namespace nasctl::train::detail
