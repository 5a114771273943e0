#include "aui/tui/height_index.hpp"

#include <utility>

namespace aui::tui {

namespace {
std::size_t lowbit(std::size_t k) { return k & (~k + 1); }
}  // namespace

void HeightIndex::assign(std::vector<std::int64_t> heights) {
  heights_ = std::move(heights);
  tree_.assign(heights_.begin(), heights_.end());
  total_ = 0;
  const std::size_t n = tree_.size();
  for (std::size_t k = 1; k <= n; ++k) {
    total_ += heights_[k - 1];
    const std::size_t parent = k + lowbit(k);
    if (parent <= n) tree_[parent - 1] += tree_[k - 1];
  }
}

void HeightIndex::truncate(std::size_t n) {
  if (n >= heights_.size()) return;
  for (std::size_t i = n; i < heights_.size(); ++i) total_ -= heights_[i];
  heights_.resize(n);
  tree_.resize(n);
}

void HeightIndex::push_back(std::int64_t height) {
  heights_.push_back(height);
  const std::size_t k = heights_.size();
  // Node k covers items (k - lowbit(k), k]: this one plus the sum of the ones before it there.
  tree_.push_back(height + row_of(k - 1) - row_of(k - lowbit(k)));
  total_ += height;
}

void HeightIndex::set(std::size_t i, std::int64_t height) {
  const std::int64_t delta = height - heights_[i];
  if (delta == 0) return;
  heights_[i] = height;
  total_ += delta;
  for (std::size_t k = i + 1; k <= tree_.size(); k += lowbit(k)) tree_[k - 1] += delta;
}

std::int64_t HeightIndex::row_of(std::size_t i) const {
  std::int64_t sum = 0;
  for (std::size_t k = i < tree_.size() ? i : tree_.size(); k > 0; k -= lowbit(k)) {
    sum += tree_[k - 1];
  }
  return sum;
}

std::size_t HeightIndex::item_at(std::int64_t row) const {
  const std::size_t n = tree_.size();
  if (n == 0) return 0;
  // Binary lifting: the largest k with prefix(k) ≤ row, i.e. the count of items that end at or
  // before `row`; that count is the index of the item holding it.
  std::size_t step = 1;
  while (step * 2 <= n) step *= 2;
  std::size_t k = 0;
  std::int64_t remaining = row;
  for (; step > 0; step /= 2) {
    if (k + step <= n && tree_[k + step - 1] <= remaining) {
      k += step;
      remaining -= tree_[k - 1];
    }
  }
  return k < n ? k : n - 1;
}

}  // namespace aui::tui
