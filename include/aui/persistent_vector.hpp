#pragma once
// PersistentVector<T>: an immutable vector whose snapshots are O(1) and whose updates share
// structure with the vector they came from.

#include <cstddef>
#include <iterator>
#include <memory>

namespace aui {

/// An immutable sequence. Every "modifying" operation returns a new vector and leaves this one
/// untouched; the two share almost all of their storage, so keeping old snapshots is cheap and
/// reading a snapshot on another thread is safe.
///
/// Costs (n = size): copy O(1); operator[], set, take O(log32 n); push_back and pop_back O(1)
/// amortized; iteration O(n) in total.
///
/// The current branch of a thread is one of these, so that handing it to an adapter, to a
/// subscriber or to a view costs the same on a thread of ten messages as on one of ten thousand.
template <class T>
class PersistentVector {
 public:
  using value_type = T;
  using size_type = std::size_t;
  class const_iterator;

  PersistentVector() noexcept = default;
  PersistentVector(std::initializer_list<T> items);

  size_type size() const noexcept;
  bool empty() const noexcept { return size() == 0; }
  const T& operator[](size_type i) const;  // precondition: i < size()
  const T& at(size_type i) const;          // throws std::out_of_range
  const T& front() const { return (*this)[0]; }
  const T& back() const { return (*this)[size() - 1]; }

  [[nodiscard]] PersistentVector push_back(T value) const;
  [[nodiscard]] PersistentVector pop_back() const;          // precondition: !empty()
  [[nodiscard]] PersistentVector set(size_type i, T value) const;  // precondition: i < size()
  [[nodiscard]] PersistentVector take(size_type n) const;   // the first min(n, size()) items

  const_iterator begin() const;
  const_iterator end() const;

  /// True when both are the same snapshot (not merely equal items).
  bool same_as(const PersistentVector& other) const noexcept;

  // Implementation below.
};

}  // namespace aui
