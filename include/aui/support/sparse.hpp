#pragma once
// Sparse<T>: a member that is almost always its default value, kept out of line.

#include <type_traits>
#include <utility>

#include "aui/support/boxed.hpp"

namespace aui {

/// A value of T that is usually T{} — a null JSON value, an empty string — held as one pointer.
/// The default costs no allocation; a value that is set is shared between copies until one of
/// them is written. It reads as a `const T&` (T{} while unset), so rarely used fields of the data
/// model cost a message 8 bytes instead of a whole T.
///
///     MessageStatus s;
///     s.error->is_null();                 // true: unset reads as null
///     s.error = Json{{"message", "boom"}};
///     s.error.edit()["code"] = 1;         // writes in place (unshares first)
///     const Json& e = s.error;            // converts wherever a const T& is wanted
///
/// Copies may be read and released on different threads, as with Boxed.
template <class T>
class Sparse {
 public:
  Sparse() noexcept = default;
  /// Stores the value unless it equals T{}.
  template <class U = T>
  requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::remove_cvref_t<U>, Sparse>)
      Sparse(U&& value) {  // NOLINT(google-explicit-constructor): a Sparse<T> stands in for a T
    T v(std::forward<U>(value));
    if (!(v == T{})) box_ = Boxed<T>(std::move(v));
  }

  /// Whether a value is stored: one other than T{} was set, or edit() was called.
  bool has_value() const noexcept { return box_.has_value(); }
  /// The value; T{} while unset.
  const T& get() const noexcept { return box_ ? *box_ : empty(); }
  operator const T&() const noexcept { return get(); }  // NOLINT(google-explicit-constructor)
  const T& operator*() const noexcept { return get(); }
  const T* operator->() const noexcept { return &get(); }

  /// Mutable access; starts from T{} when unset and unshares the storage first.
  T& edit() { return box_.edit(); }
  /// Back to T{}, releasing the storage.
  void reset() noexcept { box_.reset(); }

  friend bool operator==(const Sparse& a, const Sparse& b) { return a.get() == b.get(); }
  friend bool operator==(const Sparse& a, const T& b) { return a.get() == b; }

 private:
  static const T& empty() noexcept {
    static const T value{};
    return value;
  }
  Boxed<T> box_;
};

}  // namespace aui
