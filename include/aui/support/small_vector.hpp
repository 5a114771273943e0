#pragma once
// SmallVector<T>: a vector that holds its first element inline.

#include <algorithm>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <memory>
#include <new>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace aui {

/// A contiguous sequence with the interface of std::vector (the parts the data model uses) that
/// keeps one element inline and goes to the heap from the second on.
///
/// Most messages hold a single content part; keeping it inside the message saves an allocation
/// and the allocator's overhead on every message of a long thread. Iterators are pointers and,
/// as with std::vector, are invalidated by any operation that changes the capacity.
template <class T>
class SmallVector {
  static_assert(std::is_nothrow_move_constructible_v<T>,
                "elements are moved when the vector grows");

 public:
  using value_type = T;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;
  using reference = T&;
  using const_reference = const T&;
  using pointer = T*;
  using const_pointer = const T*;
  using iterator = T*;
  using const_iterator = const T*;
  using reverse_iterator = std::reverse_iterator<iterator>;
  using const_reverse_iterator = std::reverse_iterator<const_iterator>;

  SmallVector() noexcept {}  // NOLINT(modernize-use-equals-default): the union needs no init
  SmallVector(std::initializer_list<T> items) { append(items.begin(), items.end()); }
  template <std::input_iterator It>
  SmallVector(It first, It last) {
    append(first, last);
  }
  SmallVector(const SmallVector& other) { append(other.begin(), other.end()); }
  SmallVector(SmallVector&& other) noexcept { take(other); }
  SmallVector& operator=(const SmallVector& other) {
    if (this != &other) {
      clear();
      append(other.begin(), other.end());
    }
    return *this;
  }
  SmallVector& operator=(SmallVector&& other) noexcept {
    if (this != &other) {
      clear();
      free_heap();
      take(other);
    }
    return *this;
  }
  SmallVector& operator=(std::initializer_list<T> items) {
    clear();
    append(items.begin(), items.end());
    return *this;
  }
  ~SmallVector() {
    clear();
    free_heap();
  }

  T* data() noexcept { return on_heap() ? heap_ : inline_slot(); }
  const T* data() const noexcept { return on_heap() ? heap_ : inline_slot(); }
  iterator begin() noexcept { return data(); }
  iterator end() noexcept { return data() + size_; }
  const_iterator begin() const noexcept { return data(); }
  const_iterator end() const noexcept { return data() + size_; }
  const_iterator cbegin() const noexcept { return begin(); }
  const_iterator cend() const noexcept { return end(); }
  reverse_iterator rbegin() noexcept { return reverse_iterator(end()); }
  reverse_iterator rend() noexcept { return reverse_iterator(begin()); }
  const_reverse_iterator rbegin() const noexcept { return const_reverse_iterator(end()); }
  const_reverse_iterator rend() const noexcept { return const_reverse_iterator(begin()); }

  size_type size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  size_type capacity() const noexcept { return capacity_; }
  size_type max_size() const noexcept { return std::numeric_limits<std::uint32_t>::max(); }

  T& operator[](size_type i) noexcept { return data()[i]; }
  const T& operator[](size_type i) const noexcept { return data()[i]; }
  T& at(size_type i) {
    if (i >= size_) throw std::out_of_range("aui::SmallVector::at");
    return data()[i];
  }
  const T& at(size_type i) const {
    if (i >= size_) throw std::out_of_range("aui::SmallVector::at");
    return data()[i];
  }
  T& front() noexcept { return data()[0]; }
  const T& front() const noexcept { return data()[0]; }
  T& back() noexcept { return data()[size_ - 1]; }
  const T& back() const noexcept { return data()[size_ - 1]; }

  void reserve(size_type n) {
    if (n > capacity_) grow_to(n);
  }
  void shrink_to_fit() {}  // the capacity is kept: a message's content does not shrink

  template <class... Args>
  T& emplace_back(Args&&... args) {
    if (size_ < capacity_) {
      T* slot = data() + size_;
      std::construct_at(slot, std::forward<Args>(args)...);
      ++size_;
      return *slot;
    }
    // Full: the new element is made first, in the new storage, so that an argument that refers
    // to an element of this vector is still valid while it is read.
    const size_type cap = next_capacity(size_ + 1);
    T* fresh = allocate(cap);
    try {
      std::construct_at(fresh + size_, std::forward<Args>(args)...);
    } catch (...) {
      deallocate(fresh, cap);
      throw;
    }
    relocate_into(fresh, cap);
    ++size_;
    return fresh[size_ - 1];
  }
  void push_back(const T& value) { emplace_back(value); }
  void push_back(T&& value) { emplace_back(std::move(value)); }
  void pop_back() noexcept {
    --size_;
    std::destroy_at(data() + size_);
  }

  template <class... Args>
  iterator emplace(const_iterator pos, Args&&... args) {
    const auto index = pos - begin();
    emplace_back(std::forward<Args>(args)...);
    std::rotate(begin() + index, end() - 1, end());
    return begin() + index;
  }
  iterator insert(const_iterator pos, const T& value) { return emplace(pos, value); }
  iterator insert(const_iterator pos, T&& value) { return emplace(pos, std::move(value)); }
  /// Inserts [first, last), which must not be a range of this vector (as with std::vector).
  template <std::input_iterator It>
  iterator insert(const_iterator pos, It first, It last) {
    const auto index = pos - begin();
    const auto old_size = static_cast<difference_type>(size_);
    append(first, last);
    std::rotate(begin() + index, begin() + old_size, end());
    return begin() + index;
  }
  iterator insert(const_iterator pos, std::initializer_list<T> items) {
    return insert(pos, items.begin(), items.end());
  }

  iterator erase(const_iterator pos) { return erase(pos, pos + 1); }
  iterator erase(const_iterator first, const_iterator last) {
    T* from = begin() + (first - begin());
    T* to = begin() + (last - begin());
    if (from != to) {
      T* new_end = std::move(to, end(), from);
      std::destroy(new_end, end());
      size_ -= static_cast<std::uint32_t>(to - from);
    }
    return from;
  }
  void clear() noexcept {
    std::destroy(begin(), end());
    size_ = 0;
  }
  void resize(size_type n) {
    if (n < size_) {
      erase(begin() + n, end());
      return;
    }
    reserve(n);
    while (size_ < n) emplace_back();
  }
  template <std::input_iterator It>
  void assign(It first, It last) {
    clear();
    append(first, last);
  }

  friend bool operator==(const SmallVector& a, const SmallVector& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  }
  template <class Pred>
  friend size_type erase_if(SmallVector& v, Pred pred) {
    T* new_end = std::remove_if(v.begin(), v.end(), pred);
    const auto removed = static_cast<size_type>(v.end() - new_end);
    v.erase(new_end, v.end());
    return removed;
  }

 private:
  bool on_heap() const noexcept { return capacity_ > 1; }
  T* inline_slot() noexcept { return std::launder(reinterpret_cast<T*>(inline_)); }
  const T* inline_slot() const noexcept {
    return std::launder(reinterpret_cast<const T*>(inline_));
  }

  static T* allocate(size_type n) { return std::allocator<T>{}.allocate(n); }
  static void deallocate(T* p, size_type n) noexcept { std::allocator<T>{}.deallocate(p, n); }
  size_type next_capacity(size_type needed) const {
    if (needed > max_size()) throw std::length_error("aui::SmallVector: too many elements");
    return std::max<size_type>(needed, std::min<size_type>(2 * capacity_, max_size()));
  }
  void free_heap() noexcept {
    if (on_heap()) deallocate(heap_, capacity_);
    capacity_ = 1;
  }
  /// Moves the elements into `fresh` (capacity `cap`) and makes it the storage.
  void relocate_into(T* fresh, size_type cap) noexcept {
    T* old = data();
    std::uninitialized_move(old, old + size_, fresh);
    std::destroy(old, old + size_);
    free_heap();
    heap_ = fresh;
    capacity_ = static_cast<std::uint32_t>(cap);
  }
  void grow_to(size_type n) {
    const size_type cap = next_capacity(n);
    relocate_into(allocate(cap), cap);
  }
  template <class It>
  void append(It first, It last) {
    if constexpr (std::forward_iterator<It>)
      reserve(size_ + static_cast<size_type>(std::distance(first, last)));
    for (; first != last; ++first) emplace_back(*first);
  }
  /// Takes other's elements; this vector is empty with inline storage, other ends so too.
  void take(SmallVector& other) noexcept {
    if (other.on_heap()) {
      heap_ = other.heap_;
      capacity_ = other.capacity_;
      size_ = other.size_;
      other.capacity_ = 1;
      other.size_ = 0;
    } else if (other.size_ == 1) {
      std::construct_at(inline_slot(), std::move(*other.inline_slot()));
      size_ = 1;
      other.clear();
    }
  }

  union {
    alignas(T) unsigned char inline_[sizeof(T)];
    T* heap_;
  };
  std::uint32_t size_ = 0;
  std::uint32_t capacity_ = 1;  // 1: the inline slot; more: heap_
};

}  // namespace aui
