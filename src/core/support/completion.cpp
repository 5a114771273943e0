// aui::Completion: a one-shot result settled on the owner thread.

#include "aui/support/completion.hpp"

#include <iostream>
#include <utility>

namespace aui {

struct Completion::State {
  bool ready = false;
  std::exception_ptr error;
  std::vector<std::function<void(std::exception_ptr)>> callbacks;
};

Completion::Completion() : state_(std::make_shared<State>()) {}

Completion Completion::succeeded() {
  Completion c;
  c.resolve();
  return c;
}

Completion Completion::failed_with(std::exception_ptr error) {
  Completion c;
  c.reject(std::move(error));
  return c;
}

bool Completion::ready() const noexcept { return state_->ready; }
bool Completion::failed() const noexcept { return state_->ready && state_->error != nullptr; }
std::exception_ptr Completion::error() const noexcept {
  return state_->ready ? state_->error : nullptr;
}

void Completion::rethrow_if_failed() const {
  if (failed()) std::rethrow_exception(state_->error);
}

namespace {

void call_isolated(const std::function<void(std::exception_ptr)>& f, const std::exception_ptr& e) {
  try {
    f(e);
  } catch (const std::exception& ex) {
    std::cerr << "aui: a completion callback threw: " << ex.what() << '\n';
  } catch (...) {
    std::cerr << "aui: a completion callback threw\n";
  }
}

}  // namespace

void Completion::then(std::function<void(std::exception_ptr)> f) const {
  if (state_->ready) {
    call_isolated(f, state_->error);
  } else {
    state_->callbacks.push_back(std::move(f));
  }
}

void Completion::resolve() const {
  if (state_->ready) return;
  state_->ready = true;
  auto callbacks = std::move(state_->callbacks);
  for (const auto& f : callbacks) call_isolated(f, nullptr);
}

void Completion::reject(std::exception_ptr error) const {
  if (state_->ready) return;
  state_->ready = true;
  state_->error = std::move(error);
  auto callbacks = std::move(state_->callbacks);
  for (const auto& f : callbacks) call_isolated(f, state_->error);
}

Completion when_all(std::vector<Completion> parts) {
  Completion all;
  if (parts.empty()) {
    all.resolve();
    return all;
  }
  struct Shared {
    std::size_t remaining;
    std::vector<Completion> parts;
  };
  auto shared = std::make_shared<Shared>(Shared{parts.size(), parts});
  for (const auto& part : parts) {
    part.then([shared, all](std::exception_ptr) {
      if (--shared->remaining != 0) return;
      for (const auto& p : shared->parts) {
        if (p.failed()) {
          all.reject(p.error());
          return;
        }
      }
      all.resolve();
    });
  }
  return all;
}

}  // namespace aui
