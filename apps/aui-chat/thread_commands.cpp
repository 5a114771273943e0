#include "thread_commands.hpp"

#include <algorithm>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "aui/model/message_json.hpp"
#include "aui/support/errors.hpp"
#include "paths.hpp"
#include "terminal_text.hpp"
#include "user_errors.hpp"

namespace aui::chat {

namespace {

std::string error_text(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    return user_error_text(ex);
  } catch (...) {
    return "something went wrong that aui-chat cannot describe";
  }
}

std::string safe(const std::string& text) { return sanitize_terminal_text(text, true).text; }

// The first line of `text`, at most `max` bytes.
std::string first_line(const std::string& text, std::size_t max) {
  return one_line(text.substr(0, text.find('\n')), max);
}

}  // namespace

ChatThreads::ChatThreads(ThreadListRuntime& list, std::shared_ptr<ThreadStore> store,
                         std::ostream& out)
    : list_(list), store_(std::move(store)), out_(out) {}

ChatThreads::~ChatThreads() { *alive_ = false; }

bool ChatThreads::handles(const std::string& command) {
  return command == "/threads" || command == "/new" || command == "/switch" ||
         command == "/rename" || command == "/archive" || command == "/delete" ||
         command == "/search" || command == "/unarchive" || command == "/import";
}

const char* ChatThreads::help() {
  return "  /threads               list the threads (* = the one shown)\n"
         "  /new                   start a new thread\n"
         "  /switch N              show thread N (its number in /threads)\n"
         "  /rename TEXT           rename this thread\n"
         "  /archive, /delete      archive or delete this thread\n"
         "  /unarchive N           bring archived thread N back\n"
         "  /search TEXT           search every thread's messages\n"
         "  /import FILE           open a thread exported as assistant-ui JSON (/export) as a "
         "new thread\n";
}

std::vector<std::string> ChatThreads::listing() const {
  auto ids = list_.thread_ids();
  for (auto& id : list_.archived_thread_ids()) ids.push_back(std::move(id));
  return ids;
}

namespace {
// Where a thread's number is kept in its custom metadata (an object, shared with other uses).
constexpr const char* kNumberKey = "aui-chat.number";
}  // namespace

std::optional<long> ChatThreads::stored_number(const std::string& id) const {
  const auto item = list_.item(id);
  if (!item || !item->custom || !item->custom->is_object()) return std::nullopt;
  const auto found = item->custom->find(kNumberKey);
  if (found == item->custom->end() || !found->is_number_integer()) return std::nullopt;
  const auto n = found->get<long>();
  return n > 0 ? std::optional<long>(n) : std::nullopt;
}

void ChatThreads::number_threads() {
  const auto ids = listing();
  // The key every process orders by when two threads hold one number: the store's id.
  auto store_key = [this](const std::string& id) {
    const auto item = list_.item(id);
    return item && item->remote_id ? *item->remote_id : id;
  };
  std::map<long, std::string> holder;
  std::vector<std::string> unnumbered;
  long highest = 0;
  // Oldest first (the listing is newest first), so that numbers given at once follow age.
  for (auto it = ids.rbegin(); it != ids.rend(); ++it) {
    const auto item = list_.item(*it);
    if (!item || item->status == ThreadStatus::New) continue;
    const std::optional<long> n = current_number(*it);
    if (!n) {
      unnumbered.push_back(*it);
      continue;
    }
    highest = std::max(highest, *n);
    auto [at, fresh] = holder.emplace(*n, *it);
    if (fresh) continue;
    // Two processes numbered at once: the thread whose store id sorts first keeps the number.
    if (store_key(*it) < store_key(at->second))
      std::swap(at->second, unnumbered.emplace_back(*it));
    else
      unnumbered.push_back(*it);
  }
  for (const auto& id : unnumbered) {
    const long n = ++highest;
    given_numbers_[id] = n;
    const auto item = list_.item(id);
    Json custom = item->custom && item->custom->is_object() ? *item->custom : Json::object();
    custom[kNumberKey] = n;
    // Shown at once (the list holds it while the store writes); a failed write leaves the
    // number to this session, and the store's failure is reported where every write's is.
    list_.update_custom(id, std::move(custom)).then([](std::exception_ptr) {});
  }
}

std::optional<long> ChatThreads::current_number(const std::string& id) const {
  // This session's own numbers first: one whose write failed still holds here.
  if (const auto given = given_numbers_.find(id); given != given_numbers_.end())
    return given->second;
  return stored_number(id);
}

std::optional<long> ChatThreads::number_of(const std::string& id) {
  number_threads();
  return current_number(id);
}

std::map<std::string, long> ChatThreads::numbers() {
  number_threads();
  std::map<std::string, long> all;
  for (const auto& id : listing())
    if (const auto n = current_number(id)) all.emplace(id, *n);
  return all;
}

std::optional<long> ChatThreads::latest_number() {
  const auto ids = list_.thread_ids();
  if (ids.empty()) return std::nullopt;
  return number_of(ids.front());
}

std::optional<std::string> ChatThreads::numbered(long n) {
  number_threads();
  for (const auto& id : listing())
    if (current_number(id) == n) return id;
  return std::nullopt;
}

std::string ChatThreads::describe(const std::string& id) const {
  auto item = list_.item(id);
  if (!item) return "(gone)";
  std::string text =
      item->title && !item->title->empty() ? first_line(*item->title, 60) : "(untitled)";
  if (item->status == ThreadStatus::Archived) text += " [archived]";
  if (item->is_running) text += " [replying]";
  if (save_status_ && save_status_->unsaved(id)) text += " [not saved]";
  return safe(text);
}

void ChatThreads::list_threads() {
  const auto ids = listing();
  if (!store_problem_.empty()) {
    // Not "no saved threads": there may well be some, in a store that cannot be used.
    out_ << "(the saved threads are unavailable: " << safe(first_line(store_problem_, 300))
         << ". Threads of this session are kept in memory only.)\n";
  } else if (ids.empty()) {
    out_ << "(no saved threads yet: send a message to start one)\n";
  }
  const std::string main = list_.main_thread_id();
  number_threads();
  // Numbers right-aligned: the list is newest first, not in the numbers' order.
  std::size_t width = 1;
  for (const auto& id : ids) {
    if (const auto n = current_number(id)) width = std::max(width, std::to_string(*n).size());
  }
  for (const auto& id : ids) {
    const auto item = list_.item(id);
    const bool is_main = item && item->is_main;
    const auto n = current_number(id);
    const std::string number = n ? std::to_string(*n) : "-";
    out_ << "  " << std::string(width - std::min(width, number.size()), ' ') << number
         << (is_main ? "* " : "  ") << describe(id) << '\n';
  }
  if (auto draft = list_.new_thread_id(); draft && *draft == main)
    out_ << "  (showing a new thread)\n";
}

std::optional<std::string> ChatThreads::thread_for(
    const std::string& number, const std::string& command,
    const std::function<void(const std::string& error)>& done) {
  char* end = nullptr;
  errno = 0;
  const long n = std::strtol(number.c_str(), &end, 10);
  const bool is_number = !number.empty() && *end == '\0' && errno == 0 && n >= 1;
  if (listing().empty()) {
    done("there are no saved threads yet");
    return std::nullopt;
  }
  if (!is_number) {
    done("usage: " + command + " N (a thread's number, as /threads shows it)");
    return std::nullopt;
  }
  auto id = numbered(n);
  if (!id) done("there is no thread " + number + " (/threads lists them with their numbers)");
  return id;
}

void ChatThreads::run(const std::string& command, const std::string& args,
                      const std::function<void(ThreadRuntime&)>& show,
                      std::function<void(const std::string& error)> done) {
  // Completes an asynchronous list operation: shows the (maybe new) main thread, then reports.
  auto after = [this, alive = alive_, show, done](Completion c, std::string success,
                                                  bool same_thread = false) {
    c.then([this, alive, show, done, success, same_thread](std::exception_ptr e) {
      if (!*alive) return;
      if (e) return done(error_text(e));
      if (same_thread) {  // e.g. a rename: the thread shown is unchanged, not printed again
        out_ << success << '\n';
        return done({});
      }
      // The thread shows once its stored messages are loaded (a failed load leaves it empty).
      list_.main_thread().load_history().then(
          [this, alive, show, done, success](std::exception_ptr) {
            if (!*alive) return;
            show(list_.main_thread());
            if (!success.empty()) out_ << success << '\n';
            done({});
          });
    });
  };
  const std::string main = list_.main_thread_id();
  if (command == "/threads") {
    if (!store_ || !store_problem_.empty()) {
      list_threads();
      return done({});
    }
    // The store may have threads this process has not seen (another aui-chat on the same
    // file): the list is read again before it is shown.
    list_.reload().then([this, alive = alive_, done](std::exception_ptr e) {
      if (!*alive) return;
      if (e) out_ << "(the saved threads could not be read again: " << safe(error_text(e)) << ")\n";
      list_threads();
      done({});
    });
    return;
  }
  if (command == "/new") {
    return after(list_.switch_to_new_thread(), "(a new thread)");
  }
  if (command == "/switch") {
    const auto id = thread_for(args, "/switch", done);
    if (!id) return;
    const auto n = number_of(*id);
    return after(list_.switch_to_thread(*id),
                 "(thread " + (n ? std::to_string(*n) : args) + ": " + describe(*id) + ")");
  }
  if (command == "/import") {
    if (args.empty()) return done("usage: /import FILE (assistant-ui JSON, as /export writes it)");
    if (!store_)
      return done("importing needs the thread store (aui-chat was started with --memory)");
    import_thread(expand_user_path(args), show, done);
    return;
  }
  if (command == "/unarchive") {
    const auto id = thread_for(args, "/unarchive", done);
    if (!id) return;
    const auto item = list_.item(*id);
    if (!item || item->status != ThreadStatus::Archived)
      return done("thread " + args + " is not archived");
    const std::string name =
        item->title && !item->title->empty() ? safe(first_line(*item->title, 60)) : "(untitled)";
    list_.unarchive(*id).then([this, alive = alive_, done, name](std::exception_ptr e) {
      if (!*alive) return;
      if (e) return done(error_text(e));
      out_ << "(unarchived " << name << ")\n";
      done({});
    });
    return;
  }
  if (command == "/rename") {
    if (args.empty()) return done("usage: /rename TEXT");
    auto item = list_.item(main);
    if (item && item->status == ThreadStatus::New)
      return done("this thread is new: send a message first");
    return after(list_.rename(main, args), "(renamed)", true);
  }
  if (command == "/archive" || command == "/delete") {
    auto item = list_.item(main);
    if (item && item->status == ThreadStatus::New)
      return done("this thread is new and not saved: nothing to " + command.substr(1));
    const std::string name = describe(main);
    Completion c = command == "/archive" ? list_.archive(main) : list_.remove(main);
    return after(c, "(" + std::string(command == "/archive" ? "archived " : "deleted ") + name +
                        "; showing a new thread)");
  }
  if (command == "/search") {
    if (args.empty()) return done("usage: /search TEXT");
    if (!store_) return done("search needs the thread store (aui-chat was started with --memory)");
    // Hits may be in threads another process made: the list learns them first.
    list_.reload().then([this, alive = alive_, args, done](std::exception_ptr) {
      if (*alive) search(args, done);
    });
    return;
  }
  done("unknown command " + command);
}

void ChatThreads::search_hits(
    const std::string& query, std::size_t limit,
    std::function<void(std::vector<ThreadSearchHit>, SearchTitles, std::exception_ptr)> done) {
  // The store may block on disk: search on a worker, answer on the owner.
  auto dispatcher = list_.main_thread().options().dispatcher;
  auto executor = list_.main_thread().options().executor;
  executor->execute([alive = alive_, store = store_, dispatcher, query, limit, done] {
    std::vector<ThreadSearchHit> hits;
    // The title of each hit's thread as the store has it now, for a thread the list does not
    // know (made or renamed by another process after the reload): a hit is never shown as a
    // thread without a name. A thread deleted since the search drops its hits.
    SearchTitles titles;
    std::exception_ptr failure;
    try {
      hits = store->search(query, limit);
      for (const auto& hit : hits) {
        if (titles.count(hit.thread_id)) continue;
        try {
          titles[hit.thread_id] = store->fetch(hit.thread_id).title;
        } catch (const Error& e) {
          if (e.kind() != ErrorKind::ThreadNotFound) throw;
        }
      }
      std::erase_if(hits, [&](const ThreadSearchHit& h) { return !titles.count(h.thread_id); });
    } catch (...) {
      failure = std::current_exception();
    }
    dispatcher->post([alive, hits = std::move(hits), titles = std::move(titles),
                      failure = std::move(failure), done]() mutable {
      if (*alive) done(std::move(hits), std::move(titles), failure);
    });
  });
}

void ChatThreads::search(const std::string& args,
                         const std::function<void(const std::string& error)>& done) {
  search_hits(args, 10,
              [this, done](std::vector<ThreadSearchHit> hits, SearchTitles titles,
                           std::exception_ptr failure) {
                if (failure) return done(error_text(failure));
                if (hits.empty()) out_ << "(no matches)\n";
                const auto numbered_threads = numbers();  // once, not a numbering per hit
                for (const auto& hit : hits) {
                  std::optional<long> number;
                  if (auto item = list_.item(hit.thread_id)) {
                    if (const auto n = numbered_threads.find(item->id); n != numbered_threads.end())
                      number = n->second;
                  }
                  if (number) {
                    out_ << "  thread " << *number << " (" << describe(hit.thread_id) << ")";
                  } else {
                    const auto& title = titles.at(hit.thread_id);
                    out_ << "  a thread not in /threads yet ("
                         << (title && !title->empty() ? safe(first_line(*title, 60)) : "untitled")
                         << ")";
                  }
                  out_ << ": " << safe(first_line(hit.snippet, 160)) << '\n';
                }
                done({});
              });
}

void ChatThreads::find_threads(
    const std::string& query,
    std::function<void(std::vector<std::string> ids, const std::string& error)> done) {
  if (!store_)
    return done({}, "search needs the thread store (aui-chat was started with --memory)");
  // Hits may be in threads another process made: the list learns them first.
  list_.reload().then([this, alive = alive_, query, done](std::exception_ptr) {
    if (!*alive) return;
    search_hits(
        query, 50,
        [this, done](std::vector<ThreadSearchHit> hits, SearchTitles, std::exception_ptr failure) {
          if (failure) return done({}, error_text(failure));
          std::vector<std::string> ids;
          for (const auto& hit : hits) {
            const auto item = list_.item(hit.thread_id);
            if (!item) continue;
            if (std::find(ids.begin(), ids.end(), item->id) == ids.end()) ids.push_back(item->id);
          }
          done(std::move(ids), {});
        });
  });
}

void ChatThreads::import_thread(const std::string& path,
                                const std::function<void(ThreadRuntime&)>& show,
                                const std::function<void(const std::string& error)>& done) {
  // Read and check the file on a worker; a bad file changes nothing.
  auto dispatcher = list_.main_thread().options().dispatcher;
  auto executor = list_.main_thread().options().executor;
  executor->execute([this, alive = alive_, path, dispatcher, show, done] {
    auto repo = std::make_shared<ExportedMessageRepository>();
    std::string failure;
    try {
      std::ifstream in(path, std::ios::binary);
      if (!in) throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
      std::ostringstream text;
      text << in.rdbuf();
      *repo = repository_from_json_text(text.str());
      if (repo->messages.empty()) throw std::runtime_error(path + " holds no messages");
    } catch (const std::exception& e) {
      failure = "cannot import " + path + ": " + user_error_text(e);
    }
    dispatcher->post([this, alive, repo, failure, show, done] {
      if (!*alive) return;
      if (!failure.empty()) return done(failure);
      // A new thread, created in the store, then its messages written through its history.
      list_.switch_to_new_thread().then([this, alive, repo, show, done](std::exception_ptr e) {
        if (!*alive) return;
        if (e) return done(error_text(e));
        const std::string id = list_.main_thread_id();
        list_.initialize(id).then([this, alive, id, repo, show, done](std::exception_ptr e2) {
          if (!*alive) return;
          if (e2) return done(error_text(e2));
          const auto item = list_.item(id);
          if (!item || !item->remote_id) return done("the new thread could not be created");
          auto history = store_->history(*item->remote_id);
          auto dispatcher2 = list_.main_thread().options().dispatcher;
          list_.main_thread().options().executor->execute([this, alive, history, repo, dispatcher2,
                                                           show, done] {
            std::string why;
            try {
              for (const auto& message : repo->messages) history->append(message);
            } catch (const std::exception& ex) {
              why = "the imported messages could not be saved: " + user_error_text(ex);
            }
            dispatcher2->post([this, alive, why, repo, show, done] {
              if (!*alive) return;
              if (!why.empty()) return done(why);
              // A fresh runtime loads what was just stored.
              list_.reload_main_thread().then([this, alive, repo, show,
                                               done](std::exception_ptr e3) {
                if (!*alive) return;
                if (e3) return done(error_text(e3));
                list_.main_thread().load_history().then([this, alive, repo, show,
                                                         done](std::exception_ptr) {
                  if (!*alive) return;
                  // The branch the file shows (its head), not the last message stored.
                  if (repo->head_id) {
                    try {
                      list_.main_thread().switch_to_branch(*repo->head_id);
                    } catch (const std::exception&) {
                      // A head the file names but does not hold: the stored order's branch.
                    }
                  }
                  show(list_.main_thread());
                  out_ << "(imported " << repo->messages.size() << " messages as a new "
                       << "thread)\n";
                  // Named after its first user message, as a chat's title would be.
                  for (const auto& stored : repo->messages) {
                    if (!stored.message || stored.message->role != Role::User) continue;
                    const std::string title = first_line(stored.message->text(), 60);
                    if (!title.empty())
                      list_.rename(list_.main_thread_id(), title).then([](std::exception_ptr) {});
                    break;
                  }
                  done({});
                });
              });
            });
          });
        });
      });
    });
  });
}

}  // namespace aui::chat

namespace aui::chat {

template <class F>
decltype(auto) TrackedThreadList::track(const char* what, F&& f) {
  {
    std::lock_guard lock(mutex_);
    ++in_flight_;
  }
  struct Done {
    TrackedThreadList& self;
    ~Done() {
      std::lock_guard lock(self.mutex_);
      if (--self.in_flight_ == 0) self.idle_.notify_all();
    }
  } done{*this};
  try {
    return f();
  } catch (const Error& e) {
    if (on_failure_ && e.kind() == ErrorKind::Storage) on_failure_(what, e.what());
    throw;
  }
}

bool TrackedThreadList::wait_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, timeout, [this] { return in_flight_ == 0; });
}

RemoteThreadListPage TrackedThreadList::list(const std::optional<std::string>& after) {
  return track("reading the thread list", [&] { return inner_->list(after); });
}
RemoteThreadInitializeResult TrackedThreadList::initialize(const std::string& local_thread_id) {
  return track("creating a thread", [&] { return inner_->initialize(local_thread_id); });
}
void TrackedThreadList::rename(const std::string& remote_id, const std::string& new_title) {
  track("renaming a thread", [&] { inner_->rename(remote_id, new_title); });
}
void TrackedThreadList::update_custom(const std::string& remote_id,
                                      const std::optional<Json>& custom) {
  track("updating a thread", [&] { inner_->update_custom(remote_id, custom); });
}
void TrackedThreadList::archive(const std::string& remote_id) {
  track("archiving a thread", [&] { inner_->archive(remote_id); });
}
void TrackedThreadList::unarchive(const std::string& remote_id) {
  track("unarchiving a thread", [&] { inner_->unarchive(remote_id); });
}
void TrackedThreadList::remove(const std::string& remote_id) {
  track("deleting a thread", [&] { inner_->remove(remote_id); });
}
void TrackedThreadList::generate_title(const std::string& remote_id, const MessageList& messages,
                                       const TitleSink& sink) {
  track("titling a thread", [&] { inner_->generate_title(remote_id, messages, sink); });
}
RemoteThreadMetadata TrackedThreadList::fetch(const std::string& thread_id) {
  return track("reading a thread", [&] { return inner_->fetch(thread_id); });
}

}  // namespace aui::chat
