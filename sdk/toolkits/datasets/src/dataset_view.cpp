#include "nasctl/datasets/dataset_view.hpp"

#include <stdexcept>
#include <utility>

namespace nasctl::datasets {

DatasetView::DatasetView(std::shared_ptr<const Dataset> base, std::vector<std::size_t> items, std::string description)
    : base_(std::move(base)), items_(std::move(items)), description_(std::move(description)) {
  const std::size_t base_size = base_->size();
  for (std::size_t item : items_) {
    if (item >= base_size) {
      throw std::out_of_range(description_ + ": item " + std::to_string(item) + " of a dataset of " +
                              std::to_string(base_size));
    }
  }
}

std::int64_t DatasetView::label(std::size_t index) const { return base_->label(items_.at(index)); }

ImageShape DatasetView::shape_at(int resolution) const { return base_->input_shape(resolution); }

std::vector<std::size_t> DatasetView::base_indices(const std::vector<std::size_t>& indices) const {
  std::vector<std::size_t> out;
  out.reserve(indices.size());
  for (std::size_t index : indices) out.push_back(items_[index]);
  return out;
}

BatchStream DatasetView::read_checked(const std::vector<std::size_t>& indices, std::size_t batch_size,
                                      int resolution) const {
  return base_->read(base_indices(indices), batch_size, resolution);
}

BatchStream DatasetView::read_augmented_checked(const std::vector<std::size_t>& indices, std::size_t batch_size,
                                                int resolution, const AugmentOptions& augment) const {
  // Positions in the read are kept, so the draws are the same as for the
  // base dataset read in this order.
  return base_->read_augmented(base_indices(indices), batch_size, resolution, augment);
}

}  // namespace nasctl::datasets
