#pragma once
// ThreadStore: one place that keeps threads and their messages — the thread list (spec §14.3) and
// a history adapter per thread (spec §12) — with search and export. aui::sqlite (one file on this
// machine) and aui::postgres (a server many app instances share) implement it.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aui/adapters/remote_thread_list_adapter.hpp"
#include "aui/adapters/thread_history_adapter.hpp"
#include "aui/model/json.hpp"
#include "aui/tree/message_repository.hpp"

namespace aui {

/// One message that matched a search.
struct ThreadSearchHit {
  std::string thread_id{};  // the thread's remote id
  Id message_id{};
  /// A few words around the match; matched words are marked [like this].
  std::string snippet{};
};

/// Keeps threads (metadata and the whole message tree of each, branches included) so that they
/// survive a restart. Every call may block (disk, network): call it on a worker, never on the
/// owner thread. Thread-safe: calls from several threads are serialised by the store.
///
/// Errors: aui::Error(Storage) when the database cannot be read or written (its message names the
/// file or server), ThreadNotFound for an unknown thread where one is required.
///
/// Writes to a thread's messages create the thread (status regular) when it does not exist yet,
/// so a single-thread app can use history("anything") without calling initialize() first.
class ThreadStore : public RemoteThreadListAdapter,
                    public std::enable_shared_from_this<ThreadStore> {
 public:
  /// The history adapter of one thread (spec §12). It keeps the store alive. load() of a thread
  /// that has no messages (or does not exist) returns nothing; append and update are upserts by
  /// message id; remove moves the children of a removed message up to its parent (spec §3.6).
  std::shared_ptr<ThreadHistoryAdapter> history(const std::string& remote_id);

  /// Search over every message of every thread, newest match first. The query is plain words
  /// separated by white space; a message matches when its text holds every word as a substring
  /// (`sourdo` finds "sourdough", `你好` finds "你好世界"), ASCII letters in either case. Nothing
  /// typed is query syntax. An empty query finds nothing. Words of three characters or more are
  /// looked up in an index; a query made only of shorter words reads the messages in turn.
  virtual std::vector<ThreadSearchHit> search(const std::string& query, std::size_t limit = 20) = 0;

  /// The thread's whole tree as assistant-ui's ExportedMessageRepository (parents before
  /// children; head = the newest leaf). ThreadNotFound.
  ExportedMessageRepository export_thread(const std::string& remote_id);
  /// export_thread as JSON in assistant-ui's shape (importable by a web app).
  Json export_json(const std::string& remote_id);
  /// The current branch (root → head) as Markdown, titled with the thread's title.
  std::string export_markdown(const std::string& remote_id);

  /// Rewrites every stored assistant message that is still `running` as interrupted (see
  /// mark_interrupted); returns how many. The stores call it on open unless told not to.
  virtual std::size_t recover_interrupted() = 0;

  // ---- the row operations behind history(); the history adapter calls these ----

  /// The thread's messages in the order they were first written (any order between a parent and
  /// its child is fixed by arrange_history). Unknown thread: empty.
  virtual std::vector<ExportedMessageRepositoryItem> read_messages(
      const std::string& remote_id) = 0;
  /// Inserts or replaces the message with the item's id. A `running` item never replaces a stored
  /// message that is complete or incomplete: a late stream checkpoint cannot undo the end of a
  /// run. An item without run_config keeps the stored one. Creates the thread if needed.
  virtual void write_message(const std::string& remote_id,
                             const ExportedMessageRepositoryItem& item) = 0;
  /// write_message for many items at once (one transaction where the store has them): what an
  /// import of an exported thread uses. Creates the thread if needed.
  virtual void write_messages(const std::string& remote_id,
                              const std::vector<ExportedMessageRepositoryItem>& items);
  /// Stores an exported repository (e.g. assistant-ui JSON parsed with repository_from_json) as
  /// the thread's messages, next to any it already has.
  void import_thread(const std::string& remote_id, const ExportedMessageRepository& repo) {
    write_messages(remote_id, repo.messages);
  }
  /// Deletes the messages; their children move up to the deleted message's parent.
  virtual void delete_messages(const std::string& remote_id, const std::vector<Id>& ids) = 0;
  /// Gives the thread `title` unless it has one, in one step that no rename can come between (a
  /// generated title never replaces one the user gave); returns the title the thread holds now.
  /// ThreadNotFound.
  virtual std::string title_unless_titled(const std::string& remote_id,
                                          const std::string& title) = 0;

  // ---- RemoteThreadListAdapter ----
  bool has_update_custom() const override { return true; }
  /// Titles a thread from its first user message (its first line, at most 60 characters),
  /// stores the title and reports it once. No user text: no title. A thread that already has a
  /// title (the user renamed it) keeps it, and that title is reported.
  void generate_title(const std::string& remote_id, const MessageList& messages,
                      const TitleSink& sink) override;
};

/// What a store's load() returns from its rows in write order: parents before children (a child
/// written before its parent, as concurrent writers can do, is moved after it), messages whose
/// parent is missing left out, and the head = the newest leaf: the last written message, then its
/// newest child repeatedly.
ThreadHistoryLoadResult arrange_history(std::vector<ExportedMessageRepositoryItem> rows);

/// The words of a search query (ThreadStore::search): the query split at white space.
std::vector<std::string> search_words(const std::string& query);

/// The number of characters (UTF-8 code points) of `word`: what decides whether a store's
/// trigram index can look it up (three or more).
std::size_t search_word_length(const std::string& word);

/// `word` as a LIKE/ILIKE pattern that finds it anywhere: "%word%", with %, _ and the escape
/// character \ escaped (use ESCAPE '\').
std::string substring_like_pattern(const std::string& word);

/// A one-line snippet of a matched message's text for a search hit: about `width` bytes around
/// the first word found (whole UTF-8 characters, white space runs as one space, "…" where the
/// text is cut), every occurrence of a word marked [like this] (ASCII letters in either case).
/// The same on every store.
std::string search_snippet(const std::string& text, const std::vector<std::string>& words,
                           std::size_t width = 120);

/// The message as a crash left it: a `running` assistant message becomes incomplete/error with
/// error {code: "interrupted", message: ...}. Spec §2.4 has no status for "the process died"; of
/// the incomplete reasons, "cancelled" would claim a person stopped it and "other" is the
/// provider's, so "error" with a distinct code is the honest one (renderers already show errors).
ThreadMessage mark_interrupted(ThreadMessage message);

/// The branch ending at `head_id` (or the last item) as Markdown: "## User" / "## Assistant"
/// sections with the text, reasoning as a quote, tool calls with their arguments and result.
std::string to_markdown(const ExportedMessageRepository& repo, const std::string& title = {});

}  // namespace aui
