#pragma once
// Boxed<T>: an optional value kept on the heap and shared until written (copy on write).

#include <atomic>
#include <cstddef>
#include <utility>

namespace aui {

/// A nullable value with value semantics whose storage is shared between copies until one of
/// them is modified. It keeps rarely used or large members of the data model out of the common
/// objects, so that a plain text message stays small: a Boxed is one pointer.
///
/// Copies may be read and released on different threads; edit() is safe while another thread
/// holds (and reads, or drops) a copy.
template <class T>
class Boxed {
 public:
  Boxed() noexcept = default;
  Boxed(std::nullptr_t) noexcept {}                      // NOLINT(google-explicit-constructor)
  Boxed(T value) : node_(new Node(std::move(value))) {}  // NOLINT(google-explicit-constructor)
  Boxed(const Boxed& other) noexcept : node_(other.node_) {
    if (node_) node_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  Boxed(Boxed&& other) noexcept : node_(std::exchange(other.node_, nullptr)) {}
  Boxed& operator=(const Boxed& other) noexcept {
    Boxed(other).swap(*this);
    return *this;
  }
  Boxed& operator=(Boxed&& other) noexcept {
    Boxed(std::move(other)).swap(*this);
    return *this;
  }
  ~Boxed() { release(); }

  bool has_value() const noexcept { return node_ != nullptr; }
  explicit operator bool() const noexcept { return has_value(); }
  const T& operator*() const noexcept { return node_->value; }
  const T* operator->() const noexcept { return &node_->value; }
  const T* get() const noexcept { return node_ ? &node_->value : nullptr; }

  /// Mutable access; creates a default value when empty and unshares the storage first.
  T& edit() {
    if (!node_) {
      node_ = new Node();
    } else if (node_->refs.load(std::memory_order_acquire) != 1) {
      // Acquire: a copy released on another thread finished reading before we write.
      Node* copy = new Node(node_->value);
      release();
      node_ = copy;
    }
    return node_->value;
  }
  void reset() noexcept {
    release();
    node_ = nullptr;
  }
  void swap(Boxed& other) noexcept { std::swap(node_, other.node_); }

  friend bool operator==(const Boxed& a, const Boxed& b) {
    if (a.node_ == b.node_) return true;
    if (!a.node_ || !b.node_) return false;
    return a.node_->value == b.node_->value;
  }

 private:
  struct Node {
    template <class... Args>
    explicit Node(Args&&... args) : value(std::forward<Args>(args)...) {}
    std::atomic<long> refs{1};
    T value;
  };
  void release() noexcept {
    if (node_ && node_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete node_;
  }
  Node* node_ = nullptr;
};

}  // namespace aui
