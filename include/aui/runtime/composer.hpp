#pragma once
// Composers (spec §8): the thread composer holds the draft of the next message; an edit
// composer holds the draft that will replace a message being edited (spec §5.8).

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aui/adapters/dictation_adapter.hpp"
#include "aui/model/message.hpp"
#include "aui/runtime/message_queue.hpp"
#include "aui/support/completion.hpp"
#include "aui/support/owner_thread.hpp"
#include "aui/support/subscription.hpp"

namespace aui {

namespace detail {
class ComposerHost;
}

/// A quote of part of a message, carried on the next user message as metadata.custom.quote.
struct Quote {
  std::string text{};
  Id message_id{};
  friend bool operator==(const Quote&, const Quote&) = default;
};

/// A ready-made attachment: content already known, no upload (spec §2.7 CreateAttachment).
struct CreateAttachment {
  std::optional<Id> id{};
  std::optional<std::string> type{};  // default "document"
  std::string name{};
  std::string content_type{};
  Content content{};
};

/// How send() dispatches the draft.
struct SendOptions {
  /// Whether the message starts a run; unset: a user message does, others do not.
  std::optional<bool> start_run{};
  /// With the message queue on: true → the steer lane, false → the queue lane, unset → steer
  /// only while a queued message's run is in flight (spec §9.3).
  std::optional<bool> steer{};
};

/// A draft that can be put back into a composer (spec §8.4).
struct Draft {
  std::string text{};
  std::optional<Quote> quote{};
  std::vector<Attachment> attachments{};
};

/// Why an attachment could not be added, as on_attachment_add_error() reports it (spec §8.6).
struct AttachmentAddError {
  std::string reason{};  // "no-adapter" | "not-accepted" | "adapter-error"
  std::string message{};
  std::optional<Id> attachment_id{};
  std::exception_ptr error{};  // the failure itself, when there is one
};

/// The composer's dictation while a session is open (spec §8.1 `dictation`).
struct DictationState {
  DictationSession::Status status = DictationSession::Status::Starting;
  /// The interim transcript shown after the text typed before it, until it becomes final.
  std::optional<std::string> transcript{};
  /// The adapter asked for typed input to be disabled while dictating.
  bool input_disabled = false;
  friend bool operator==(const DictationState&, const DictationState&) = default;
};

/// Behaviour shared by the thread composer and edit composers. Owner thread only: operations
/// check it in debug and sanitizer builds (see OwnerThread).
class Composer {
 public:
  virtual ~Composer();
  Composer(const Composer&) = delete;
  Composer& operator=(const Composer&) = delete;

  const std::string& text() const noexcept { return text_; }
  Role role() const noexcept { return role_; }
  const RunConfig& run_config() const noexcept { return run_config_; }
  const std::optional<Quote>& quote() const noexcept { return quote_; }
  const std::vector<Attachment>& attachments() const noexcept { return attachments_; }
  /// The attachment adapter's accept patterns, or "*".
  std::string attachment_accept() const;

  /// The open dictation session's state, or nullopt (spec §8.1, §13.3).
  const std::optional<DictationState>& dictation() const noexcept { return dictation_; }

  /// Text blank after trimming and no attachments (a quote alone does not count).
  bool is_empty() const;
  /// Something to send and no send in flight.
  virtual bool can_send() const;
  virtual bool can_cancel() const = 0;
  virtual bool is_editing() const = 0;
  /// A send() is uploading attachments or handing the message over.
  bool is_sending() const noexcept { return sending_ != 0; }

  // Setters notify only when the value changes.
  void set_text(std::string text);
  void set_role(Role role);
  void set_run_config(RunConfig config);
  void set_quote(std::optional<Quote> quote);

  /// Sends the draft (spec §8.3). Completes once the message has been handed to the thread (the
  /// run it starts goes on independently); fails with the first attachment upload error.
  Completion send(SendOptions options = {});
  /// Thread composer: cancels the run. Edit composer: closes the edit.
  virtual void cancel() = 0;
  /// Back to the initial state (spec §8.5); no notification when already there.
  Completion reset();
  /// Removes every attachment and abandons adds in flight; pending ones are released through
  /// the adapter.
  Completion clear_attachments();
  /// A file through the attachment adapter (spec §8.6). AttachmentsUnsupported, NotAccepted.
  Completion add_attachment(HostFile file);
  /// Ready-made content; works without an adapter. NotAccepted.
  Completion add_attachment(CreateAttachment attachment);
  /// AttachmentNotFound; AttachmentsUnsupported for a pending attachment without an adapter.
  Completion remove_attachment(const Id& id);

  /// Starts dictating into the text (spec §13.3), replacing a session already open; the current
  /// text becomes the base that transcripts are added to. AdapterMissing; whatever listen() throws.
  void start_dictation();
  /// Asks the session to finish; completes once it has (its final words are in the text).
  /// Completes at once when no session is open.
  Completion stop_dictation();
  /// Ends the session at once, keeping the text as it is.
  void cancel_dictation();

  /// Puts a draft back when the composer is empty (no text, quote or attachments); returns
  /// whether it did, so a draft never overwrites what the user typed since (spec §8.4).
  bool restore_draft(Draft draft);
  /// Empties the composer if it still holds exactly `draft` (undoes a restore_draft()).
  void retract_draft(const Draft& draft);

  /// Called after the composer's state changes, on the owner thread.
  [[nodiscard]] Subscription subscribe(std::function<void()> on_change);
  /// on_send: send() handed a message over. on_attachment_add: an attachment was added;
  /// on_attachment_add_error: an add failed.
  [[nodiscard]] Subscription on_send(std::function<void()> listener);
  [[nodiscard]] Subscription on_attachment_add(std::function<void(const Attachment&)> listener);
  [[nodiscard]] Subscription on_attachment_add_error(
      std::function<void(const AttachmentAddError&)> listener);

 protected:
  explicit Composer(detail::ComposerHost& thread);
  /// Hands the built message to the thread; returns the dispatch's completion.
  virtual Completion dispatch(ThreadMessage draft, SendOptions options) = 0;
  void notify();
  /// Asks the attachment adapter to release the pending attachments among `dropped`.
  void discard_pending(const std::vector<Attachment>& dropped);

  detail::ComposerHost& thread_;
  std::string text_;
  Role role_ = Role::User;
  RunConfig run_config_;
  std::optional<Quote> quote_;
  std::vector<Attachment> attachments_;
  int sending_ = 0;
  RunConfig draft_run_config_;  // the run config snapshot of the send being dispatched
  OwnerThread owner_;           // checked by every operation (debug and sanitizer builds)

 private:
  friend class detail::ComposerHost;  // notify_composer()
  struct Listeners;
  std::shared_ptr<Listeners> listeners_;
  std::uint64_t send_counter_ = 0;
  std::vector<Id> removed_during_send_;
  std::vector<std::pair<Id, std::shared_ptr<bool>>> adding_;  // additions in flight

  void on_dictation_result(const DictationResult& result);
  void end_dictation();
  std::optional<DictationState> dictation_;
  std::shared_ptr<DictationSession> dictation_session_;
  std::string dictation_base_;               // the text transcripts are appended to
  std::uint64_t dictation_epoch_ = 0;        // bumped per session: events of older ones are ignored
  std::vector<Completion> dictation_stops_;  // stop_dictation() calls waiting for the end
  Lifetime draft_;                           // reset() ends it: the sends in flight are abandoned
  Lifetime lifetime_;  // ends with the composer: work in flight stops touching it
};

/// The composer of the next message (spec §8).
class ThreadComposer final : public Composer {
 public:
  /// Made by the thread runtime (ThreadRuntime::composer()).
  explicit ThreadComposer(detail::ComposerHost& thread);
  /// The messages waiting in the thread's queue, steer lane first (empty when the queue is off).
  std::vector<QueueItem> queue() const;
  bool can_send() const override;
  bool can_cancel() const override;
  bool is_editing() const override { return true; }
  void cancel() override;

 protected:
  Completion dispatch(ThreadMessage draft, SendOptions options) override;
};

/// The composer of an edit (spec §5.8). Obtained from ThreadRuntime::begin_edit; owned by the
/// thread and destroyed when the edit closes (send or cancel).
class EditComposer final : public Composer {
 public:
  EditComposer(detail::ComposerHost& thread, const ThreadMessage& message,
               std::optional<Id> parent_id);
  bool can_send() const override;
  bool can_cancel() const override { return true; }
  bool is_editing() const override { return open_; }
  void cancel() override;
  const Id& message_id() const noexcept { return source_id_; }
  const std::optional<Id>& parent_id() const noexcept { return parent_id_; }

 protected:
  Completion dispatch(ThreadMessage draft, SendOptions options) override;

 private:
  Id source_id_;
  std::optional<Id> parent_id_;
  Content passthrough_;  // non-text parts of an assistant/system message
  bool open_ = true;
};

}  // namespace aui
