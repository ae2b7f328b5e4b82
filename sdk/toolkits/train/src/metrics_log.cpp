#include "metrics_log.hpp"

#include <cstdio>

#include "nasctl/atomic_file.hpp"

namespace nasctl::train::detail {

void write_metrics(const std::string& path, const std::vector<EpochReport>& history) {
  std::string text = "epoch,phase,steps,lr,loss,train_top1,top1_largest,top1_smallest,images_per_second,seconds\n";
  for (const EpochReport& r : history) {
    char row[256];
    std::snprintf(row, sizeof row, "%lld,%lld,%lld,%.6g,%.6f,%.3f,%.3f,%.3f,%.1f,%.2f\n",
                  static_cast<long long>(r.epoch), static_cast<long long>(r.phase), static_cast<long long>(r.steps),
                  r.lr, r.loss, r.train_top1, r.top1_largest, r.top1_smallest, r.images_per_second, r.seconds);
    text += row;
  }
  write_file_atomically(path, text, "the training metrics");
}

}  // namespace nasctl::train::detail
