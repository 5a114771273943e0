#pragma once
// Boxed<T>: an optional value kept on the heap and shared until written (copy on write).

#include <memory>
#include <utility>

namespace aui {

/// A nullable value with value semantics whose storage is shared between copies until one of
/// them is modified. It keeps rarely used or large members of the data model out of the common
/// objects, so that a plain text message stays small.
template <class T>
class Boxed {
 public:
  Boxed() noexcept = default;
  Boxed(std::nullptr_t) noexcept {}  // NOLINT(google-explicit-constructor)
  Boxed(T value) : ptr_(std::make_shared<const T>(std::move(value))) {}  // NOLINT

  bool has_value() const noexcept { return ptr_ != nullptr; }
  explicit operator bool() const noexcept { return has_value(); }
  const T& operator*() const noexcept { return *ptr_; }
  const T* operator->() const noexcept { return ptr_.get(); }
  const T* get() const noexcept { return ptr_.get(); }

  /// Mutable access; creates a default value when empty and unshares the storage first.
  T& edit() {
    if (!ptr_) {
      ptr_ = std::make_shared<const T>();
    } else if (ptr_.use_count() > 1) {
      ptr_ = std::make_shared<const T>(*ptr_);
    }
    return const_cast<T&>(*ptr_);  // NOLINT: we are the sole owner here
  }
  void reset() noexcept { ptr_.reset(); }

  friend bool operator==(const Boxed& a, const Boxed& b) {
    if (a.ptr_ == b.ptr_) return true;
    if (!a.ptr_ || !b.ptr_) return false;
    return *a.ptr_ == *b.ptr_;
  }

 private:
  std::shared_ptr<const T> ptr_;
};

}  // namespace aui
