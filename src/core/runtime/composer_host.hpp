#pragma once
// ComposerHost: what a composer needs from the thread it belongs to — the adapters and the
// places its work runs, the queue it shows, and the three operations it triggers (append,
// cancel, closing an edit). The thread runtime implements it; composers see nothing else of it.

#include <functional>
#include <memory>
#include <string>

#include "aui/model/message.hpp"
#include "aui/runtime/append_message.hpp"
#include "aui/support/completion.hpp"
#include "aui/support/errors.hpp"

namespace aui {

class Composer;
class Dispatcher;
class Executor;
class MessageQueue;
struct ThreadAdapters;

namespace detail {

class ComposerHost {
 public:
  /// The thread's capability adapters (attachments, dictation).
  virtual const ThreadAdapters& adapters() const noexcept = 0;
  /// Where owner work is posted and where adapters run.
  virtual const std::shared_ptr<Dispatcher>& owner_dispatcher() const noexcept = 0;
  virtual const std::shared_ptr<Executor>& executor() const noexcept = 0;
  /// Reports an error no caller can receive (the thread's on_error; see errors.hpp).
  virtual void report(const Error& error) const = 0;
  /// The thread's queue, or nullptr when it is off.
  virtual const MessageQueue* queue() const noexcept = 0;
  /// The thread can cancel (capability) and is running: the thread composer can cancel.
  virtual bool can_cancel_run() const noexcept = 0;
  /// The run config of the thread composer (an edit composer starts from it).
  virtual const RunConfig& thread_composer_run_config() const noexcept = 0;

  virtual Completion append(AppendMessage message) = 0;
  /// append() for a message the composer sends: nobody awaits the outcome (send() completes once
  /// the message is handed over), so the thread reports what it does not show itself — a failed
  /// history write — to on_error (errors.hpp, rule 3).
  virtual Completion append_unawaited(AppendMessage message) = 0;
  virtual void cancel_run() = 0;
  /// The edit composer of `message_id` is done: the thread drops it (on a later turn).
  virtual void close_edit(const Id& message_id) = 0;

  /// Notifications (spec §11) go through the thread, so that they are delivered in order and
  /// only once the outermost operation is complete: `notification` runs at once when no
  /// operation is under way, else after the current one (and after what it notified before).
  virtual void notify_later(std::function<void()> notification) = 0;
  /// A composer operation starts / ends: notifications wait until the outermost one ends.
  virtual void begin_operation() noexcept = 0;
  virtual void end_operation() = 0;

 protected:
  ~ComposerHost() = default;
  /// Lets the host tell a composer that what it derives from the thread changed.
  static void notify_composer(Composer& composer);
};

}  // namespace detail
}  // namespace aui
