#pragma once
// ListenerList: an ordered list of callbacks that tolerates subscribe/unsubscribe while it is
// being emitted, and isolates throwing listeners. Owner thread only.

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "aui/support/errors.hpp"
#include "aui/support/subscription.hpp"

namespace aui::detail {

/// Reports an isolated failure (a throwing listener) without letting it escape: the owner's
/// on_error, given an Error of kind ListenerFailed whose cause is what the listener threw.
using ErrorSink = std::function<void(const Error&)>;

template <class... Args>
class ListenerList : public std::enable_shared_from_this<ListenerList<Args...>> {
 public:
  using Fn = std::function<void(Args...)>;

  std::uint64_t add(Fn fn) {
    entries_.push_back({++next_id_, std::make_shared<Fn>(std::move(fn))});
    return next_id_;
  }

  /// A Subscription that removes the listener; safe after the list is gone.
  Subscription subscribe(Fn fn) {
    auto id = add(std::move(fn));
    std::weak_ptr<ListenerList> weak = this->shared_from_this();
    return Subscription([weak, id] {
      if (auto self = weak.lock()) self->remove(id);
    });
  }

  bool contains(std::uint64_t id) const {
    for (const auto& e : entries_) {
      if (e.id == id && e.fn) return true;
    }
    return false;
  }

  void remove(std::uint64_t id) {
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->id != id) continue;
      if (depth_ > 0) {
        it->fn.reset();  // tombstone: emit() is walking the vector
        dirty_ = true;
      } else {
        entries_.erase(it);
      }
      return;
    }
  }

  bool empty() const noexcept {
    for (const auto& e : entries_) {
      if (e.fn) return false;
    }
    return true;
  }

  /// Calls every listener registered before the call started, in order. A throwing listener is
  /// reported to `on_error` and the rest still run.
  void emit(const ErrorSink& on_error, Args... args) {
    ++depth_;
    const std::size_t n = entries_.size();
    for (std::size_t i = 0; i < n; ++i) {
      if (!entries_[i].fn) continue;
      // Hold a reference: the listener may unsubscribe itself while it runs.
      std::shared_ptr<Fn> fn = entries_[i].fn;
      try {
        (*fn)(args...);
      } catch (...) {
        if (on_error) {
          const std::exception_ptr thrown = std::current_exception();
          on_error(Error(ErrorKind::ListenerFailed,
                         "a listener threw: " + describe_exception(thrown), thrown));
        }
      }
    }
    if (--depth_ == 0 && dirty_) {
      std::erase_if(entries_, [](const Entry& e) { return !e.fn; });
      dirty_ = false;
    }
  }

 private:
  struct Entry {
    std::uint64_t id;
    std::shared_ptr<Fn> fn;
  };
  std::vector<Entry> entries_;
  std::uint64_t next_id_ = 0;
  int depth_ = 0;
  bool dirty_ = false;
};

}  // namespace aui::detail
