// LocalRuntime: a thread list with its own event loop when the host has none.

#include "aui/local_runtime.hpp"

namespace aui {

namespace {

ThreadListRuntimeOptions with_thread_options(ThreadRuntimeOptions thread) {
  ThreadListRuntimeOptions options;
  options.thread = std::move(thread);
  return options;
}

ThreadRuntimeOptions with_chat_model(ChatModelAdapter chat_model) {
  ThreadRuntimeOptions options;
  options.chat_model = std::move(chat_model);
  return options;
}

}  // namespace

LocalRuntime::LocalRuntime(ChatModelAdapter chat_model)
    : LocalRuntime(with_chat_model(std::move(chat_model))) {}

LocalRuntime::LocalRuntime(ThreadRuntimeOptions options)
    : LocalRuntime(with_thread_options(std::move(options))) {}

LocalRuntime::LocalRuntime(ThreadListRuntimeOptions options) {
  if (!options.thread.dispatcher) {
    loop_ = std::make_shared<EventLoop>();
    options.thread.dispatcher = loop_;
  }
  threads_ = std::make_unique<ThreadListRuntime>(std::move(options));
}

LocalRuntime::~LocalRuntime() {
  threads_.reset();  // detaches every thread: runs are cancelled, late results dropped
}

void LocalRuntime::wait(const Completion& completion) {
  owner_.check("LocalRuntime::wait");
  if (loop_) loop_->run_until(completion);
  completion.rethrow_if_failed();
}

}  // namespace aui
