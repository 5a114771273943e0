// Composers (spec §8) and the edit composer of spec §5.8.
//
// Over 600 lines on purpose: one class's state machine — the draft, its attachments (added,
// uploaded, removed while a send is in flight) and dictation all read and write the same
// fields and the same send in flight; split, each part would need the others' private state.

#include "aui/runtime/composer.hpp"

#include <algorithm>
#include <cctype>

#include "aui/runtime/thread_runtime.hpp"
#include "aui/support/errors.hpp"
#include "runtime/composer_host.hpp"
#include "runtime/listener_list.hpp"

namespace aui {

namespace {

bool is_blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

std::exception_ptr make_error(ErrorKind kind, const std::string& message) {
  return std::make_exception_ptr(Error(kind, message));
}

bool is_complete(const Attachment& a) { return a.status.type == AttachmentStatusType::Complete; }

/// A composer operation: checks the owner thread (checked builds) and holds the thread's
/// notifications until the outermost operation is complete (spec §11).
class Operation {
 public:
  Operation(const OwnerThread& owner, detail::ComposerHost& host, const char* name) : host_(host) {
    owner.check(name);
    host_.begin_operation();
  }
  ~Operation() { host_.end_operation(); }
  Operation(const Operation&) = delete;
  Operation& operator=(const Operation&) = delete;

 private:
  detail::ComposerHost& host_;
};

}  // namespace

struct Composer::Listeners {
  std::shared_ptr<detail::ListenerList<>> change = std::make_shared<detail::ListenerList<>>();
  std::shared_ptr<detail::ListenerList<>> send = std::make_shared<detail::ListenerList<>>();
  std::shared_ptr<detail::ListenerList<const Attachment&>> attachment_add =
      std::make_shared<detail::ListenerList<const Attachment&>>();
  std::shared_ptr<detail::ListenerList<const AttachmentAddError&>> attachment_error =
      std::make_shared<detail::ListenerList<const AttachmentAddError&>>();
};

Composer::Composer(detail::ComposerHost& thread)
    : thread_(thread), listeners_(std::make_shared<Listeners>()) {}

Composer::~Composer() {
  lifetime_.reset();  // work in flight stops touching the composer
  if (dictation_session_) dictation_session_->cancel();
}

std::string Composer::attachment_accept() const {
  owner_.check("Composer::attachment_accept");
  const auto& adapter = thread_.adapters().attachments;
  return adapter ? adapter->accept() : "*";
}

bool Composer::is_empty() const {
  owner_.check("Composer::is_empty");
  return is_blank(text_) && attachments_.empty();
}

bool Composer::can_send() const {
  owner_.check("Composer::can_send");
  return !is_empty() && !is_sending();
}

void Composer::notify() {
  // Through the thread: delivered once the operation under way is complete, in order with the
  // thread's own notifications (spec §11).
  thread_.notify_later(lifetime_.guard(
      [this] { listeners_->change->emit([this](const Error& e) { thread_.report(e); }); }));
}

void Composer::set_text(std::string text) {
  const Operation op(owner_, thread_, "Composer::set_text");
  if (text == text_) return;
  text_ = std::move(text);
  if (dictation_) {
    // Typing while dictating re-bases: later transcripts go after what is there now.
    dictation_base_ = text_;
    dictation_->transcript.reset();
  }
  notify();
}

// ---------------------------------------------------------------------------------------------
// Dictation (spec §13.3)

void Composer::start_dictation() {
  const Operation op(owner_, thread_, "Composer::start_dictation");
  auto adapter = thread_.adapters().dictation;
  if (!adapter) throw Error(ErrorKind::AdapterMissing, "dictation needs a dictation adapter");
  if (dictation_session_) {
    dictation_session_->cancel();
    end_dictation();
  }
  auto session = adapter->listen();
  if (!session)
    throw Error(ErrorKind::InvalidArgument, "the dictation adapter returned no session");
  const std::uint64_t epoch = ++dictation_epoch_;
  dictation_session_ = session;
  dictation_base_ = text_;
  dictation_ = DictationState{DictationSession::Status::Starting, std::nullopt,
                              adapter->disable_input_during_dictation()};
  // Session events may come from any thread; they run on the owner thread, and only while this
  // session is still the composer's.
  auto dispatcher = thread_.owner_dispatcher();
  auto alive = lifetime_.token();
  auto on_owner = [this, dispatcher, alive, epoch](std::function<void()> f) {
    dispatcher->post([this, alive, epoch, f = std::move(f)] {
      if (alive.expired() || epoch != dictation_epoch_ || !dictation_) return;
      f();
    });
  };
  session->on_speech_start([this, on_owner] {
    on_owner([this] {
      if (dictation_->status == DictationSession::Status::Running) return;
      dictation_->status = DictationSession::Status::Running;
      notify();
    });
  });
  session->on_speech([this, on_owner](const DictationResult& r) {
    on_owner([this, r] { on_dictation_result(r); });
  });
  std::weak_ptr<DictationSession> weak_session = session;
  session->on_speech_end([this, on_owner, weak_session](const DictationResult& r) {
    on_owner([this, r, weak_session] {
      if (auto s = weak_session.lock(); s && !s->error().empty())
        thread_.report(Error(ErrorKind::AdapterFailed, "dictation failed: " + s->error()));
      if (!r.transcript.empty()) on_dictation_result(DictationResult{r.transcript, true});
      end_dictation();
      notify();
    });
  });
  notify();
}

void Composer::on_dictation_result(const DictationResult& result) {
  if (dictation_->status != DictationSession::Status::Running)
    dictation_->status = DictationSession::Status::Running;
  const bool separate =
      !dictation_base_.empty() && dictation_base_.back() != ' ' && !result.transcript.empty();
  std::string shown = dictation_base_ + (separate ? " " : "") + result.transcript;
  if (result.is_final) {
    dictation_base_ = shown;
    dictation_->transcript.reset();
  } else {
    dictation_->transcript = result.transcript;
  }
  text_ = std::move(shown);
  notify();
}

void Composer::end_dictation() {
  ++dictation_epoch_;
  dictation_session_ = nullptr;
  dictation_.reset();
  dictation_base_.clear();
  for (auto& stop : std::exchange(dictation_stops_, {})) stop.resolve();
}

Completion Composer::stop_dictation() {
  const Operation op(owner_, thread_, "Composer::stop_dictation");
  if (!dictation_session_) return Completion::succeeded();
  Completion done;
  dictation_stops_.push_back(done);
  dictation_session_->stop();
  return done;
}

void Composer::cancel_dictation() {
  const Operation op(owner_, thread_, "Composer::cancel_dictation");
  if (!dictation_session_) return;
  dictation_session_->cancel();
  end_dictation();
  notify();
}

void Composer::set_role(Role role) {
  const Operation op(owner_, thread_, "Composer::set_role");
  if (role == role_) return;
  role_ = role;
  notify();
}

void Composer::set_run_config(RunConfig config) {
  const Operation op(owner_, thread_, "Composer::set_run_config");
  if (config == run_config_) return;
  run_config_ = std::move(config);
  notify();
}

void Composer::set_quote(std::optional<Quote> quote) {
  const Operation op(owner_, thread_, "Composer::set_quote");
  if (quote == quote_) return;
  quote_ = std::move(quote);
  notify();
}

Subscription Composer::subscribe(std::function<void()> on_change) {
  owner_.check("Composer::subscribe");
  return listeners_->change->subscribe(std::move(on_change));
}
Subscription Composer::on_send(std::function<void()> listener) {
  owner_.check("Composer::on_send");
  return listeners_->send->subscribe(std::move(listener));
}
Subscription Composer::on_attachment_add(std::function<void(const Attachment&)> listener) {
  owner_.check("Composer::on_attachment_add");
  return listeners_->attachment_add->subscribe(std::move(listener));
}
Subscription Composer::on_attachment_add_error(
    std::function<void(const AttachmentAddError&)> listener) {
  owner_.check("Composer::on_attachment_add_error");
  return listeners_->attachment_error->subscribe(std::move(listener));
}

// ---------------------------------------------------------------------------------------------
// send (spec §8.3)

namespace {

/// The uploads of one send: settles once every upload has.
struct UploadBatch {
  std::size_t outstanding = 0;
  std::vector<std::optional<Attachment>> results;
  std::exception_ptr first_error;
  bool restored = false;
  Completion all_settled;
};

}  // namespace

Completion Composer::send(SendOptions options) {
  const Operation op(owner_, thread_, "Composer::send");
  if (!can_send()) return Completion::succeeded();
  // Step 2: sending ends a dictation; what it had shown stays in the text being sent.
  if (dictation_session_) {
    dictation_session_->cancel();
    end_dictation();
  }

  const std::string text = text_;
  const std::optional<Quote> quote = quote_;
  const Role role = role_;
  const RunConfig run_config = run_config_;
  const std::vector<Attachment> attachments = attachments_;
  auto generation = draft_.token();  // expires when reset() abandons this send
  const std::uint64_t send_id = ++send_counter_;
  removed_during_send_.clear();

  auto batch = std::make_shared<UploadBatch>();
  batch->results.resize(attachments.size());
  auto adapter = thread_.adapters().attachments;
  auto executor = thread_.executor();
  auto dispatcher = thread_.owner_dispatcher();
  auto alive = lifetime_.token();
  Completion result;

  // Step 4: clear the draft, lock the composer.
  text_.clear();
  quote_.reset();
  ++sending_;
  notify();

  auto finish = [this, alive, batch, attachments, text, quote, role, run_config, generation,
                 send_id, options, result]() {
    if (alive.expired()) return;
    if (generation.expired()) {
      // reset() ran meanwhile: it already released the lock; nothing is appended.
      result.resolve();
      return;
    }
    if (batch->first_error) {
      sending_ = std::max(0, sending_ - 1);
      notify();
      result.reject(batch->first_error);
      return;
    }
    // Step 7: remove the sent attachments (by id), release the lock.
    std::vector<Attachment> outgoing;
    for (std::size_t i = 0; i < attachments.size(); ++i) {
      const Id& id = attachments[i].id;
      std::erase_if(attachments_, [&](const Attachment& a) { return a.id == id; });
      // Step 8: leave out what the user removed while the upload ran.
      if (std::find(removed_during_send_.begin(), removed_during_send_.end(), id) !=
          removed_during_send_.end()) {
        continue;
      }
      outgoing.push_back(batch->results[i] ? *batch->results[i] : attachments[i]);
    }
    sending_ = std::max(0, sending_ - 1);
    notify();

    // Step 9: the outgoing message.
    ThreadMessage draft;
    draft.created_at = now_timestamp();
    draft.role = role;
    if (!text.empty()) draft.content.emplace_back(TextPart{Text(text)});
    draft.attachments = std::move(outgoing);
    if (quote)
      draft.metadata.custom.edit()["quote"] =
          Json{{"text", quote->text}, {"messageId", quote->message_id}};
    Draft restore{text, quote, draft.attachments};
    SendOptions opts = options;
    RunConfig config = run_config;

    // Step 10: dispatch, not awaited. Step 11: a MessageNotSent failure puts the draft back.
    auto alive2 = lifetime_.token();
    auto gen = draft_.token();
    draft_run_config_ = std::move(config);
    // Nobody awaits the dispatch (send() completes now), so a message that could not be sent is
    // also reported to on_error: the restored draft alone would not say why. (A failed reply
    // shows its error itself; a failed history write is reported by the thread.)
    Completion dispatched = dispatch(std::move(draft), opts);
    dispatched.then([this, alive2, gen, send_id, restore](std::exception_ptr e) {
      if (!e || alive2.expired()) return;
      try {
        std::rethrow_exception(e);
      } catch (const Error& err) {
        if (err.kind() != ErrorKind::MessageNotSent) return;
        thread_.report(err);
        if (!gen.expired() && send_id == send_counter_) (void)restore_draft(restore);
      } catch (...) {
      }
    });
    // Step 12.
    listeners_->send->emit([this](const Error& e) { thread_.report(e); });
    result.resolve();
  };

  // Step 3/5: upload every attachment that is not complete.
  for (std::size_t i = 0; i < attachments.size(); ++i) {
    if (is_complete(attachments[i])) continue;
    if (!adapter) {
      if (!batch->first_error) {
        batch->first_error = make_error(ErrorKind::AttachmentsUnsupported,
                                        "sending a pending attachment needs an attachment adapter");
      }
      continue;
    }
    ++batch->outstanding;
    executor->execute([adapter, dispatcher, alive, batch, i, pending = attachments[i], this, text,
                       quote, generation, finish]() mutable {
      std::optional<Attachment> done;
      std::exception_ptr error;
      try {
        done = adapter->send(pending);
      } catch (...) {
        error = std::current_exception();
      }
      dispatcher->post([this, alive, batch, i, done = std::move(done), error = std::move(error),
                        text, quote, generation, finish]() mutable {
        if (alive.expired()) return;
        if (error && !batch->first_error) {
          batch->first_error = error;
          // Restore at the first failure, unless the composer was reset or the user typed or
          // quoted meanwhile.
          if (!generation.expired() && is_blank(text_) && !quote_) {
            text_ = text;
            quote_ = quote;
            notify();
          }
          batch->restored = true;
        }
        if (done) {
          done->status = AttachmentStatus{};
          batch->results[i] = std::move(done);
        }
        if (--batch->outstanding == 0) finish();
      });
    });
  }
  if (batch->outstanding == 0) {
    if (batch->first_error && is_blank(text_) && !quote_) {
      text_ = text;
      quote_ = quote;
    }
    finish();
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// reset, attachments (spec §8.5–§8.7)

Completion Composer::reset() {
  const Operation op(owner_, thread_, "Composer::reset");
  for (auto& [id, cancelled] : adding_) *cancelled = true;
  adding_.clear();
  if (sending_ > 0) {
    draft_.reset();  // invalidates the send in flight
    sending_ = 0;
  }
  const bool initial = attachments_.empty() && text_.empty() && role_ == Role::User &&
                       run_config_ == RunConfig{} && !quote_;
  if (initial) return Completion::succeeded();
  draft_.reset();
  auto dropped = std::move(attachments_);
  role_ = Role::User;
  run_config_ = RunConfig{};
  quote_.reset();
  text_.clear();
  attachments_.clear();
  notify();
  discard_pending(dropped);
  return Completion::succeeded();
}

Completion Composer::clear_attachments() {
  const Operation op(owner_, thread_, "Composer::clear_attachments");
  for (auto& [id, cancelled] : adding_) *cancelled = true;
  adding_.clear();
  if (attachments_.empty()) return Completion::succeeded();
  auto dropped = std::move(attachments_);
  attachments_.clear();
  notify();
  discard_pending(dropped);
  return Completion::succeeded();
}

void Composer::discard_pending(const std::vector<Attachment>& dropped) {
  // Pending attachments may hold uploads the adapter should release; complete ones need nothing.
  std::vector<Attachment> pending;
  for (const auto& a : dropped) {
    if (!is_complete(a)) pending.push_back(a);
  }
  auto adapter = thread_.adapters().attachments;
  if (!adapter || pending.empty()) return;
  thread_.executor()->execute([adapter, pending] {
    for (const auto& a : pending) {
      try {
        adapter->remove(a);
      } catch (...) {
        // Best effort: the attachment is already gone from the composer.
      }
    }
  });
}

Completion Composer::add_attachment(CreateAttachment create) {
  const Operation op(owner_, thread_, "Composer::add_attachment");
  const auto& adapter = thread_.adapters().attachments;
  if (adapter && !attachment_accepted(adapter->accept(), create.name, create.content_type)) {
    AttachmentAddError ev{
        "not-accepted",
        "\"" + create.name + "\" is not accepted (accept: " + adapter->accept() + ")",
        std::nullopt};
    listeners_->attachment_error->emit([this](const Error& e) { thread_.report(e); }, ev);
    return Completion::failed_with(make_error(ErrorKind::NotAccepted, ev.message));
  }
  Attachment a;
  a.id = create.id.value_or(generate_id());
  a.type = create.type.value_or("document");
  a.name = std::move(create.name);
  a.content_type = std::move(create.content_type);
  a.content = std::move(create.content);
  a.status = AttachmentStatus{};
  attachments_.push_back(a);
  notify();
  listeners_->attachment_add->emit([this](const Error& e) { thread_.report(e); }, a);
  return Completion::succeeded();
}

Completion Composer::add_attachment(HostFile file) {
  const Operation op(owner_, thread_, "Composer::add_attachment");
  auto adapter = thread_.adapters().attachments;
  auto report = [this](const Error& e) { thread_.report(e); };
  if (!adapter) {
    AttachmentAddError ev{"no-adapter", "attachments need an attachment adapter", std::nullopt};
    listeners_->attachment_error->emit(report, ev);
    return Completion::failed_with(make_error(ErrorKind::AttachmentsUnsupported, ev.message));
  }
  if (!attachment_accepted(adapter->accept(), file.name, file.content_type)) {
    AttachmentAddError ev{
        "not-accepted", "\"" + file.name + "\" is not accepted (accept: " + adapter->accept() + ")",
        std::nullopt};
    listeners_->attachment_error->emit(report, ev);
    return Completion::failed_with(make_error(ErrorKind::NotAccepted, ev.message));
  }
  auto cancelled = std::make_shared<bool>(false);
  auto last_id = std::make_shared<std::optional<Id>>();
  auto dispatcher = thread_.owner_dispatcher();
  auto alive = lifetime_.token();
  Completion result;

  // Each state is upserted by id on the owner thread.
  auto upsert = [this, alive, cancelled, last_id](Attachment state) {
    if (alive.expired() || *cancelled) return;
    *last_id = state.id;
    auto it = std::find_if(attachments_.begin(), attachments_.end(),
                           [&](const Attachment& a) { return a.id == state.id; });
    if (it == attachments_.end()) {
      adding_.emplace_back(state.id, cancelled);
      attachments_.push_back(std::move(state));
    } else {
      *it = std::move(state);
    }
    notify();
  };

  thread_.executor()->execute([adapter, file = std::move(file), dispatcher, upsert, alive,
                               cancelled, last_id, result, this] {
    std::optional<Attachment> final_state;
    std::exception_ptr error;
    try {
      final_state = adapter->add(file, [dispatcher, upsert](const Attachment& state) {
        dispatcher->post([upsert, state] { upsert(state); });
      });
      if (final_state->id.empty()) final_state->id = generate_id();
    } catch (...) {
      error = std::current_exception();
    }
    dispatcher->post([this, alive, cancelled, last_id, upsert, final_state = std::move(final_state),
                      error = std::move(error), result]() mutable {
      if (alive.expired()) return;
      auto report_error = [this](const Error& e) { thread_.report(e); };
      std::erase_if(adding_, [&](const auto& entry) { return entry.second == cancelled; });
      if (*cancelled) {
        result.resolve();
        return;
      }
      if (error) {
        const std::string message = describe_exception(error);
        if (*last_id) {
          for (auto& a : attachments_) {
            if (a.id == **last_id) {
              a.status = AttachmentStatus{AttachmentStatusType::Incomplete, "error", 0, message};
            }
          }
          notify();
        }
        listeners_->attachment_error->emit(
            report_error, AttachmentAddError{"adapter-error", message, *last_id, error});
        result.reject(error);
        return;
      }
      upsert(*final_state);
      if (final_state->status.type == AttachmentStatusType::Incomplete &&
          final_state->status.reason == "error") {
        const std::string message = final_state->status.message.empty()
                                        ? "the attachment could not be added"
                                        : final_state->status.message;
        listeners_->attachment_error->emit(
            report_error, AttachmentAddError{"adapter-error", message, final_state->id});
        result.reject(make_error(ErrorKind::InvalidArgument, message));
        return;
      }
      listeners_->attachment_add->emit(report_error, *final_state);
      result.resolve();
    });
  });
  return result;
}

Completion Composer::remove_attachment(const Id& id) {
  const Operation op(owner_, thread_, "Composer::remove_attachment");
  auto it = std::find_if(attachments_.begin(), attachments_.end(),
                         [&](const Attachment& a) { return a.id == id; });
  if (it == attachments_.end()) {
    return Completion::failed_with(
        make_error(ErrorKind::AttachmentNotFound, "no attachment \"" + id + "\""));
  }
  for (auto& [aid, cancelled] : adding_) {
    if (aid == id) *cancelled = true;
  }
  std::erase_if(adding_, [&](const auto& e) { return e.first == id; });
  if (is_sending()) removed_during_send_.push_back(id);
  if (is_complete(*it)) {
    attachments_.erase(it);
    notify();
    return Completion::succeeded();
  }
  auto adapter = thread_.adapters().attachments;
  if (!adapter) {
    return Completion::failed_with(
        make_error(ErrorKind::AttachmentsUnsupported,
                   "removing a pending attachment needs an attachment adapter"));
  }
  Completion result;
  auto dispatcher = thread_.owner_dispatcher();
  auto alive = lifetime_.token();
  thread_.executor()->execute([adapter, dispatcher, alive, attachment = *it, result, this] {
    std::exception_ptr error;
    try {
      adapter->remove(attachment);
    } catch (...) {
      error = std::current_exception();
    }
    dispatcher->post([this, alive, id = attachment.id, error = std::move(error), result] {
      if (alive.expired()) return;
      auto found = std::find_if(attachments_.begin(), attachments_.end(),
                                [&](const Attachment& a) { return a.id == id; });
      if (error) {
        if (found != attachments_.end()) {
          found->status = AttachmentStatus{AttachmentStatusType::Incomplete, "error", 0,
                                           describe_exception(error)};
          notify();
        }
        result.reject(error);
        return;
      }
      if (found != attachments_.end()) {
        attachments_.erase(found);
        notify();
      }
      result.resolve();
    });
  });
  return result;
}

// ---------------------------------------------------------------------------------------------
// Drafts (spec §8.4)

bool Composer::restore_draft(Draft draft) {
  const Operation op(owner_, thread_, "Composer::restore_draft");
  if (!is_blank(text_) || quote_ || !attachments_.empty()) return false;
  text_ = std::move(draft.text);
  quote_ = std::move(draft.quote);
  attachments_ = std::move(draft.attachments);
  notify();
  return true;
}

void Composer::retract_draft(const Draft& draft) {
  const Operation op(owner_, thread_, "Composer::retract_draft");
  if (text_ != draft.text || quote_ != draft.quote || attachments_ != draft.attachments) return;
  text_.clear();
  quote_.reset();
  attachments_.clear();
  notify();
}

// ---------------------------------------------------------------------------------------------
// ThreadComposer

ThreadComposer::ThreadComposer(detail::ComposerHost& thread) : Composer(thread) {}

bool ThreadComposer::can_send() const { return Composer::can_send(); }

std::vector<QueueItem> ThreadComposer::queue() const {
  owner_.check("ThreadComposer::queue");
  const MessageQueue* q = thread_.queue();
  return q ? q->items() : std::vector<QueueItem>{};
}

bool ThreadComposer::can_cancel() const {
  owner_.check("ThreadComposer::can_cancel");
  return thread_.can_cancel_run();
}

void ThreadComposer::cancel() {
  const Operation op(owner_, thread_, "ThreadComposer::cancel");
  thread_.cancel_run();
}

Completion ThreadComposer::dispatch(ThreadMessage draft, SendOptions options) {
  AppendMessage m;
  m.role = draft.role;
  m.content = std::move(draft.content);
  m.attachments = std::move(draft.attachments);
  m.custom = std::move(draft.metadata.custom);
  m.created_at = draft.created_at;
  m.parent = Parent::tail();
  m.run_config = draft_run_config_;
  m.start_run = options.start_run;
  m.steer = options.steer;
  return thread_.append_unawaited(std::move(m));
}

// ---------------------------------------------------------------------------------------------
// EditComposer (spec §5.8)

namespace {

Attachment attachment_for_part(const ContentPart& part) {
  Attachment a;
  a.id = generate_id();
  a.status = AttachmentStatus{};
  a.content.push_back(part);
  if (const auto* image = part.get_if<ImagePart>()) {
    a.type = "image";
    a.name = image->filename.empty() ? "image" : image->filename;
  } else if (const auto* file = part.get_if<FilePart>()) {
    a.type = "document";
    a.name = file->filename.empty() ? "document" : file->filename;
    a.content_type = file->mime_type;
  } else if (const auto* audio = part.get_if<AudioPart>()) {
    a.type = "audio";
    a.name = "audio." + audio->format;
    a.content_type = "audio/" + audio->format;
  } else if (const auto* data = part.get_if<DataPart>()) {
    a.type = "data";
    a.name = data->name;
  } else {
    a.type = "file";
    a.name = std::string(to_string(part.type()));
  }
  return a;
}

}  // namespace

EditComposer::EditComposer(detail::ComposerHost& thread, const ThreadMessage& message,
                           std::optional<Id> parent_id)
    : Composer(thread), source_id_(message.id), parent_id_(std::move(parent_id)) {
  text_ = message.text();
  role_ = message.role;
  run_config_ = thread.thread_composer_run_config();
  attachments_ = message.attachments;
  for (const auto& part : message.content) {
    if (part.is<TextPart>()) continue;
    if (message.role == Role::User) {
      attachments_.push_back(attachment_for_part(part));
    } else {
      passthrough_.push_back(part);
    }
  }
}

bool EditComposer::can_send() const {
  owner_.check("EditComposer::can_send");
  return !is_empty() && !is_sending();
}

void EditComposer::cancel() {
  const Operation op(owner_, thread_, "EditComposer::cancel");
  open_ = false;
  thread_.close_edit(source_id_);
}

Completion EditComposer::dispatch(ThreadMessage draft, SendOptions options) {
  AppendMessage m;
  m.role = draft.role;
  m.content = std::move(draft.content);
  m.content.insert(m.content.end(), passthrough_.begin(), passthrough_.end());
  m.attachments = std::move(draft.attachments);
  m.custom = std::move(draft.metadata.custom);
  m.created_at = draft.created_at;
  m.parent = parent_id_ ? Parent::message(*parent_id_) : Parent::root();
  m.source_id = source_id_;
  m.run_config = draft_run_config_;
  m.start_run = options.start_run;
  Completion c = thread_.append_unawaited(std::move(m));
  open_ = false;
  thread_.close_edit(source_id_);
  return c;
}

namespace detail {

void ComposerHost::notify_composer(Composer& composer) { composer.notify(); }

}  // namespace detail

}  // namespace aui
