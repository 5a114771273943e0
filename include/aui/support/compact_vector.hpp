#pragma once
// CompactVector<T>: a vector that costs one pointer while it is empty.

#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <utility>
#include <vector>

#include "aui/support/boxed.hpp"

namespace aui {

/// A sequence with the interface of std::vector (the parts the data model uses) for members that
/// are usually empty, such as a message's attachments: empty, it is one null pointer; otherwise
/// its elements live in a std::vector shared between copies until one of them is modified.
template <class T>
class CompactVector {
  using Items = std::vector<T>;

 public:
  using value_type = T;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;
  using reference = T&;
  using const_reference = const T&;
  using iterator = typename Items::iterator;
  using const_iterator = typename Items::const_iterator;

  CompactVector() noexcept = default;
  CompactVector(std::initializer_list<T> items) : CompactVector(Items(items)) {}
  CompactVector(Items items) {  // NOLINT(google-explicit-constructor): a vector is one
    if (!items.empty()) items_ = Boxed<Items>(std::move(items));
  }
  template <std::input_iterator It>
  CompactVector(It first, It last) : CompactVector(Items(first, last)) {}

  /// The elements as a std::vector (a copy).
  Items to_vector() const { return items_ ? *items_ : Items{}; }
  operator Items() const { return to_vector(); }  // NOLINT(google-explicit-constructor)

  size_type size() const noexcept { return items_ ? items_->size() : 0; }
  bool empty() const noexcept { return size() == 0; }

  const_iterator begin() const noexcept { return items_ ? items_->begin() : const_iterator{}; }
  const_iterator end() const noexcept { return items_ ? items_->end() : const_iterator{}; }
  const_iterator cbegin() const noexcept { return begin(); }
  const_iterator cend() const noexcept { return end(); }
  /// Mutable iteration unshares the elements first (an empty vector stays a null pointer).
  iterator begin() { return items_ ? items_.edit().begin() : iterator{}; }
  iterator end() { return items_ ? items_.edit().end() : iterator{}; }

  const T& operator[](size_type i) const noexcept { return (*items_)[i]; }
  T& operator[](size_type i) { return items_.edit()[i]; }
  const T& at(size_type i) const { return items().at(i); }
  const T& front() const noexcept { return items_->front(); }
  const T& back() const noexcept { return items_->back(); }

  void push_back(const T& value) { items_.edit().push_back(value); }
  void push_back(T&& value) { items_.edit().push_back(std::move(value)); }
  template <class... Args>
  T& emplace_back(Args&&... args) {
    return items_.edit().emplace_back(std::forward<Args>(args)...);
  }
  void reserve(size_type n) {
    if (n > 0) items_.edit().reserve(n);
  }
  iterator erase(const_iterator pos) {
    const auto index = pos - cbegin();  // before edit() may move the elements
    auto& items = items_.edit();
    return items.erase(items.begin() + index);
  }
  void clear() noexcept { items_.reset(); }

  friend bool operator==(const CompactVector& a, const CompactVector& b) {
    return a.items() == b.items();
  }

 private:
  const Items& items() const noexcept {
    static const Items kEmpty;
    return items_ ? *items_ : kEmpty;
  }
  Boxed<Items> items_;
};

}  // namespace aui
