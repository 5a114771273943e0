// LocalRuntime: a thread runtime with its own event loop when the host has none.

#include "aui/local_runtime.hpp"

namespace aui {

namespace {

ThreadRuntimeOptions with_chat_model(ChatModelAdapter chat_model) {
  ThreadRuntimeOptions options;
  options.chat_model = std::move(chat_model);
  return options;
}

}  // namespace

LocalRuntime::LocalRuntime(ChatModelAdapter chat_model) : LocalRuntime(with_chat_model(std::move(chat_model))) {}

LocalRuntime::LocalRuntime(ThreadRuntimeOptions options) {
  if (!options.dispatcher) {
    loop_ = std::make_shared<EventLoop>();
    options.dispatcher = loop_;
  }
  thread_ = std::make_unique<ThreadRuntime>(std::move(options));
}

LocalRuntime::~LocalRuntime() {
  if (thread_) thread_->detach();
  thread_.reset();
}

void LocalRuntime::wait(const Completion& completion) {
  if (loop_) loop_->run_until(completion);
  completion.rethrow_if_failed();
}

}  // namespace aui
