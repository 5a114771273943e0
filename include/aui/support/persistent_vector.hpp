#pragma once
// PersistentVector<T>: an immutable vector whose snapshots are O(1) and whose updates share
// structure with the vector they came from.

#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <vector>

namespace aui {

/// An immutable sequence. Every "modifying" operation returns a new vector and leaves this one
/// untouched; the two share almost all of their storage, so keeping old snapshots is cheap and
/// reading a snapshot on another thread is safe.
///
/// Costs (n = size): copy O(1); operator[], set, take O(log32 n); push_back and pop_back O(1)
/// amortized (push_back copies the last leaf: up to 32 items); append of k items O(k);
/// iteration O(n) in total.
///
/// The current branch of a thread is one of these, so that handing it to an adapter, to a
/// subscriber or to a view costs the same on a thread of ten messages as on one of ten thousand.
template <class T>
class PersistentVector {
  static constexpr unsigned kBits = 5;
  static constexpr std::size_t kWidth = std::size_t{1} << kBits;
  static constexpr std::size_t kMask = kWidth - 1;

  // Inner nodes hold children; leaves hold items. Leaves in the tree are always full.
  struct Node {
    std::vector<std::shared_ptr<const Node>> kids;
    std::vector<T> items;
  };
  using NodePtr = std::shared_ptr<const Node>;
  using Leaf = std::vector<T>;
  using LeafPtr = std::shared_ptr<const Leaf>;

 public:
  using value_type = T;
  using size_type = std::size_t;

  /// A forward iterator that walks leaf by leaf (O(1) amortized per step).
  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = const T*;
    using reference = const T&;

    const_iterator() = default;
    reference operator*() const { return (*leaf_)[index_ - base_]; }
    pointer operator->() const { return &**this; }
    const_iterator& operator++() {
      ++index_;
      if (index_ - base_ >= leaf_->size() && index_ < vec_->size_) load();
      return *this;
    }
    const_iterator operator++(int) {
      auto copy = *this;
      ++*this;
      return copy;
    }
    friend bool operator==(const const_iterator& a, const const_iterator& b) {
      return a.index_ == b.index_;
    }

   private:
    friend class PersistentVector;
    const_iterator(const PersistentVector* vec, size_type index) : vec_(vec), index_(index) {
      if (index_ < vec_->size_) load();
    }
    void load() {
      leaf_ = &vec_->leaf_for(index_);
      base_ = index_ >= vec_->tail_offset() ? vec_->tail_offset() : (index_ & ~kMask);
    }
    const PersistentVector* vec_ = nullptr;
    size_type index_ = 0;
    size_type base_ = 0;
    const Leaf* leaf_ = nullptr;
  };

  PersistentVector() noexcept = default;
  PersistentVector(std::initializer_list<T> items) {
    for (const auto& item : items) *this = push_back(item);
  }

  size_type size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  const T& operator[](size_type i) const {
    if (i >= tail_offset()) return (*tail_)[i - tail_offset()];
    return leaf_for(i)[i & kMask];
  }
  const T& at(size_type i) const {
    if (i >= size_) throw std::out_of_range("PersistentVector::at");
    return (*this)[i];
  }
  const T& front() const { return (*this)[0]; }
  const T& back() const { return (*tail_)[size_ - 1 - tail_offset()]; }

  [[nodiscard]] PersistentVector push_back(T value) const {
    PersistentVector out = *this;
    if (size_ - tail_offset() < kWidth) {
      auto tail = std::make_shared<Leaf>();
      tail->reserve(tail_ ? tail_->size() + 1 : 1);
      if (tail_) tail->insert(tail->end(), tail_->begin(), tail_->end());
      tail->push_back(std::move(value));
      out.tail_ = std::move(tail);
      ++out.size_;
      return out;
    }
    out.push_full_tail(*tail_);  // the tail is full: it becomes a leaf of the tree
    auto tail = std::make_shared<Leaf>();
    tail->push_back(std::move(value));
    out.tail_ = std::move(tail);
    ++out.size_;
    return out;
  }

  /// The vector with [first, last) pushed at its end: the same as push_back of each item, in
  /// O(1) per item and one copy of the tail in all (push_back copies the tail every time, which
  /// is what building a long vector item by item costs).
  template <class It>
  [[nodiscard]] PersistentVector append(It first, It last) const {
    PersistentVector out = *this;
    std::shared_ptr<Leaf> own;  // out's tail once this call made it: filled in place
    for (; first != last; ++first) {
      const bool full = out.size_ > 0 && out.size_ - out.tail_offset() == kWidth;
      if (full) {
        // It becomes a leaf of the tree: moved when it is ours, copied when it is this one's.
        if (own) {
          out.push_full_tail(std::move(*own));
        } else {
          out.push_full_tail(*out.tail_);
        }
        own.reset();
      }
      if (!own) {
        own = std::make_shared<Leaf>();
        own->reserve(kWidth);
        if (!full && out.size_ > 0) own->assign(out.tail_->begin(), out.tail_->end());
        out.tail_ = own;
      }
      own->push_back(*first);
      ++out.size_;
    }
    return out;
  }

  [[nodiscard]] PersistentVector pop_back() const { return take(size_ - 1); }

  [[nodiscard]] PersistentVector set(size_type i, T value) const {
    PersistentVector out = *this;
    if (i >= tail_offset()) {
      auto tail = std::make_shared<Leaf>(*tail_);
      (*tail)[i - tail_offset()] = std::move(value);
      out.tail_ = std::move(tail);
      return out;
    }
    out.root_ = assoc(shift_, root_.get(), i, std::move(value));
    return out;
  }

  [[nodiscard]] PersistentVector take(size_type n) const {
    if (n >= size_) return *this;
    if (n == 0) return PersistentVector();
    PersistentVector out;
    out.size_ = n;
    const size_type new_tail_offset = ((n - 1) >> kBits) << kBits;
    const Leaf& last = leaf_for(n - 1);
    const size_type last_base = (n - 1) >= tail_offset() ? tail_offset() : new_tail_offset;
    out.tail_ = std::make_shared<Leaf>(
        last.begin() + static_cast<std::ptrdiff_t>(new_tail_offset - last_base),
        last.begin() + static_cast<std::ptrdiff_t>(n - last_base));
    if (new_tail_offset > 0) {
      NodePtr root = trim(shift_, root_.get(), new_tail_offset);
      unsigned shift = shift_;
      while (shift > kBits && root->kids.size() == 1) {
        root = root->kids[0];
        shift -= kBits;
      }
      out.root_ = std::move(root);
      out.shift_ = shift;
    }
    return out;
  }

  const_iterator begin() const { return const_iterator(this, 0); }
  const_iterator end() const { return const_iterator(this, size_); }

  bool same_as(const PersistentVector& other) const noexcept {
    return size_ == other.size_ && root_ == other.root_ && tail_ == other.tail_;
  }

  /// Calls `f(i)` in ascending order for every index i < min(size(), other.size()) at which the
  /// two vectors hold items that differ (operator==). Storage the two share is skipped without
  /// being read, so comparing a vector with one made from it by a few set(), take() or append()
  /// calls costs O(k log n) for k changed items, not O(n): what a view diffing two snapshots of
  /// a long list needs.
  template <class F>
  void for_each_difference(const PersistentVector& other, F&& f) const {
    const size_type limit = size_ < other.size_ ? size_ : other.size_;
    if (limit == 0) return;
    if (root_ && tail_offset() > 0) {
      diff_node(root_.get(), other.node_at(shift_, 0), shift_, 0, limit, other, f);
    }
    // This vector's tail: at most one leaf of items, compared one by one.
    for (size_type i = tail_offset(); i < limit; ++i) {
      if (!((*tail_)[i - tail_offset()] == other[i])) f(i);
    }
  }

 private:
  // other's tree node at `level` that covers index `base`, or null when its tree has none there
  // (the index is in its tail, or its tree is lower).
  const Node* node_at(unsigned level, size_type base) const {
    if (!root_ || base >= tail_offset() || level > shift_) return nullptr;
    const Node* node = root_.get();
    for (unsigned l = shift_; l > level; l -= kBits) {
      const size_type sub = (base >> l) & kMask;
      if (sub >= node->kids.size()) return nullptr;
      node = node->kids[sub].get();
    }
    return node;
  }

  // for_each_difference over the subtree `a` of this vector (at `level`, first index `base`);
  // `b` is other's node over the same range, when it has one.
  template <class F>
  void diff_node(const Node* a, const Node* b, unsigned level, size_type base, size_type limit,
                 const PersistentVector& other, F& f) const {
    if (base >= limit || a == b) return;
    if (level == 0) {
      const std::size_t n = a->items.size();
      for (std::size_t j = 0; j < n && base + j < limit; ++j) {
        const bool same =
            b && j < b->items.size() ? a->items[j] == b->items[j] : a->items[j] == other[base + j];
        if (!same) f(base + j);
      }
      return;
    }
    for (std::size_t k = 0; k < a->kids.size(); ++k) {
      const size_type child_base = base + (k << level);
      if (child_base >= limit) break;
      const Node* child_b = nullptr;
      if (b) {
        if (k < b->kids.size()) child_b = b->kids[k].get();
      } else {
        child_b = other.node_at(level - kBits, child_base);
      }
      diff_node(a->kids[k].get(), child_b, level - kBits, child_base, limit, other, f);
    }
  }

  size_type tail_offset() const noexcept {
    return size_ == 0 ? 0 : ((size_ - 1) >> kBits) << kBits;
  }

  // The leaf holding index i (the tail, or a full leaf of the tree).
  const Leaf& leaf_for(size_type i) const {
    if (i >= tail_offset()) return *tail_;
    const Node* node = root_.get();
    for (unsigned level = shift_; level > 0; level -= kBits) {
      node = node->kids[(i >> level) & kMask].get();
    }
    return node->items;
  }

  // Makes the tail, which is full and holds `items`, a leaf of the tree (size_ is unchanged:
  // the caller puts a new tail after it).
  void push_full_tail(Leaf items) {
    auto leaf = std::make_shared<Node>();
    leaf->items = std::move(items);
    NodePtr leaf_node = std::move(leaf);
    if (!root_) {
      auto root = std::make_shared<Node>();
      root->kids.push_back(std::move(leaf_node));
      root_ = std::move(root);
      shift_ = kBits;
    } else if ((size_ >> kBits) > (size_type{1} << shift_)) {
      auto root = std::make_shared<Node>();
      root->kids.push_back(root_);
      root->kids.push_back(new_path(shift_, std::move(leaf_node)));
      root_ = std::move(root);
      shift_ += kBits;
    } else {
      root_ = push_tail(shift_, root_.get(), std::move(leaf_node));
    }
  }

  static NodePtr new_path(unsigned level, NodePtr node) {
    while (level > 0) {
      auto parent = std::make_shared<Node>();
      parent->kids.push_back(std::move(node));
      node = std::move(parent);
      level -= kBits;
    }
    return node;
  }

  // Appends a full leaf at the end of the tree (size_ is the size before the push).
  NodePtr push_tail(unsigned level, const Node* parent, NodePtr leaf) const {
    auto copy = std::make_shared<Node>(*parent);
    const size_type sub = ((size_ - 1) >> level) & kMask;
    NodePtr insert;
    if (level == kBits) {
      insert = std::move(leaf);
    } else if (sub < parent->kids.size()) {
      insert = push_tail(level - kBits, parent->kids[sub].get(), std::move(leaf));
    } else {
      insert = new_path(level - kBits, std::move(leaf));
    }
    if (sub < copy->kids.size()) {
      copy->kids[sub] = std::move(insert);
    } else {
      copy->kids.push_back(std::move(insert));
    }
    return copy;
  }

  static NodePtr assoc(unsigned level, const Node* node, size_type i, T value) {
    auto copy = std::make_shared<Node>(*node);
    if (level == 0) {
      copy->items[i & kMask] = std::move(value);
    } else {
      const size_type sub = (i >> level) & kMask;
      copy->kids[sub] = assoc(level - kBits, node->kids[sub].get(), i, std::move(value));
    }
    return copy;
  }

  // The tree cut down to its first `count` items (a multiple of the leaf width, > 0).
  static NodePtr trim(unsigned level, const Node* node, size_type count) {
    const size_type keep = ((count - 1) >> level) + 1;
    auto copy = std::make_shared<Node>();
    copy->kids.assign(node->kids.begin(), node->kids.begin() + static_cast<std::ptrdiff_t>(keep));
    if (level > kBits) {
      const size_type rest = count - ((keep - 1) << level);
      copy->kids.back() = trim(level - kBits, node->kids[keep - 1].get(), rest);
    }
    return copy;
  }

  size_type size_ = 0;
  unsigned shift_ = kBits;
  NodePtr root_;
  LeafPtr tail_;
};

}  // namespace aui
