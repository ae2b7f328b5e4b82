// A dataset made of some items of another one, in a given order: a split
// carved from a training set, or a fixed subset of it. Reads go to the base
// dataset, so a view costs one index list and decodes nothing twice.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "nasctl/datasets/dataset.hpp"

namespace nasctl::datasets {

class DatasetView final : public Dataset {
 public:
  // `items` index `base`; `description` says what the view is (it is shown
  // as is). Throws std::out_of_range for an item >= base->size().
  DatasetView(std::shared_ptr<const Dataset> base, std::vector<std::size_t> items, std::string description);

  std::string description() const override { return description_; }
  std::size_t size() const override { return items_.size(); }
  const std::vector<std::string>& classes() const override { return base_->classes(); }
  std::int64_t label(std::size_t index) const override;
  int default_resolution() const override { return base_->default_resolution(); }
  bool augments_when_read() const override { return base_->augments_when_read(); }

  // Item `index` of this view is item base_index(index) of the base dataset.
  std::size_t base_index(std::size_t index) const { return items_.at(index); }
  const Dataset& base() const { return *base_; }

 protected:
  ImageShape shape_at(int resolution) const override;
  BatchStream read_checked(const std::vector<std::size_t>& indices, std::size_t batch_size,
                           int resolution) const override;
  BatchStream read_augmented_checked(const std::vector<std::size_t>& indices, std::size_t batch_size, int resolution,
                                     const AugmentOptions& augment) const override;

 private:
  std::vector<std::size_t> base_indices(const std::vector<std::size_t>& indices) const;

  std::shared_ptr<const Dataset> base_;
  std::vector<std::size_t> items_;
  std::string description_;
};

}  // namespace nasctl::datasets
