#pragma once
// HeightIndex: the heights of a list of items (a transcript's messages, in rows) as a Fenwick
// tree, so that "which item holds row r" and "the first row of item i" cost O(log n) however long
// the list is, and changing one height costs O(log n) too.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace aui::tui {

/// Per-item heights with prefix sums in O(log n). Heights are non-negative.
class HeightIndex {
 public:
  /// The number of items.
  std::size_t size() const noexcept { return heights_.size(); }
  /// Replaces every height (O(n)).
  void assign(std::vector<std::int64_t> heights);
  /// Keeps the first `n` items (O(1) amortised: a Fenwick node covers only items before it).
  void truncate(std::size_t n);
  /// Appends an item (O(log n)).
  void push_back(std::int64_t height);
  /// Sets item `i`'s height (O(log n)).
  void set(std::size_t i, std::int64_t height);
  /// Item `i`'s height.
  std::int64_t height(std::size_t i) const { return heights_[i]; }
  /// The sum of the heights of items [0, i): the first row of item i (O(log n)).
  std::int64_t row_of(std::size_t i) const;
  /// The sum of every height.
  std::int64_t total() const noexcept { return total_; }
  /// The item that holds row `row` (0 ≤ row < total()): the largest i with row_of(i) ≤ row
  /// (O(log n)). Rows past the end give size() − 1; an empty index gives 0.
  std::size_t item_at(std::int64_t row) const;

 private:
  std::vector<std::int64_t> heights_;
  std::vector<std::int64_t> tree_;  // 1-based Fenwick tree: tree_[k-1] covers (k - lowbit(k), k]
  std::int64_t total_ = 0;
};

}  // namespace aui::tui
