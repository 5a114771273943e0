#pragma once
// Generator<T>: a C++20 coroutine that yields values one by one (the streaming adapter form).

#include <coroutine>
#include <exception>
#include <iterator>
#include <optional>
#include <utility>

namespace aui {

/// A lazily evaluated sequence produced by a coroutine with `co_yield`. Move-only; destroying it
/// closes the coroutine (its locals are destroyed), which is how a consumer stops a stream.
///
///     aui::Generator<int> count(int n) { for (int i = 0; i < n; ++i) co_yield i; }
template <class T>
class Generator {
 public:
  struct promise_type {
    std::optional<T> value;
    std::exception_ptr error;
    Generator get_return_object() {
      return Generator(std::coroutine_handle<promise_type>::from_promise(*this));
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    template <class U = T>
    std::suspend_always yield_value(U&& v) {
      value.emplace(std::forward<U>(v));
      return {};
    }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { error = std::current_exception(); }
  };
  using Handle = std::coroutine_handle<promise_type>;

  Generator() noexcept = default;
  explicit Generator(Handle h) noexcept : h_(h) {}
  Generator(Generator&& o) noexcept : h_(std::exchange(o.h_, {})) {}
  Generator& operator=(Generator&& o) noexcept {
    if (this != &o) {
      reset();
      h_ = std::exchange(o.h_, {});
    }
    return *this;
  }
  Generator(const Generator&) = delete;
  Generator& operator=(const Generator&) = delete;
  ~Generator() { reset(); }

  /// Resumes the coroutine. Returns the next value, or nullopt when it has finished; rethrows
  /// what the coroutine threw.
  std::optional<T> next() {
    if (!h_ || h_.done()) return std::nullopt;
    h_.promise().value.reset();
    h_.resume();
    if (h_.promise().error) std::rethrow_exception(std::exchange(h_.promise().error, {}));
    if (h_.done()) return std::nullopt;
    return std::move(h_.promise().value);
  }

  class iterator {
   public:
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    explicit iterator(Generator* g) : g_(g) { ++*this; }
    T& operator*() { return *cur_; }
    iterator& operator++() {
      cur_ = g_->next();
      if (!cur_) g_ = nullptr;
      return *this;
    }
    void operator++(int) { ++*this; }
    bool operator==(std::default_sentinel_t) const { return g_ == nullptr; }

   private:
    Generator* g_ = nullptr;
    std::optional<T> cur_;
  };
  iterator begin() { return iterator(this); }
  std::default_sentinel_t end() { return {}; }

 private:
  void reset() {
    if (h_) h_.destroy();
    h_ = {};
  }
  Handle h_;
};

}  // namespace aui
