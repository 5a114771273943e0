#include "aui/adapters/thread_store.hpp"

#include <algorithm>
#include <mutex>
#include <sstream>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "aui/model/message_json.hpp"
#include "aui/support/errors.hpp"

namespace aui {

namespace {

/// The history adapter of one thread: forwards to the store's row operations. It may be made for
/// a thread list's draft, named by its local id before the thread exists: the id is resolved
/// through fetch() (which knows local ids) at the first call after initialize() created the
/// thread — the list's initialisation barrier orders every write after it.
class StoreHistory final : public ThreadHistoryAdapter {
 public:
  StoreHistory(std::shared_ptr<ThreadStore> store, std::string thread_id)
      : store_(std::move(store)), thread_id_(std::move(thread_id)) {}

  ThreadHistoryLoadResult load() override {
    auto id = resolve();
    if (!id) return {};  // a draft: nothing stored yet
    return arrange_history(store_->read_messages(*id));
  }
  void append(const ExportedMessageRepositoryItem& item) override {
    store_->write_message(write_id(), item);
  }
  bool has_update() const override { return true; }
  void update(const ExportedMessageRepositoryItem& item) override {
    store_->write_message(write_id(), item);
  }
  bool has_delete() const override { return true; }
  void remove(const std::vector<ExportedMessageRepositoryItem>& items) override {
    std::vector<Id> ids;
    ids.reserve(items.size());
    for (const auto& item : items) {
      if (item.message) ids.push_back(item.message->id);
    }
    store_->delete_messages(write_id(), ids);
  }

 private:
  // The stored thread's remote id, or nullopt while no thread answers to the id.
  std::optional<std::string> resolve() {
    std::lock_guard lock(mutex_);
    if (resolved_) return resolved_;
    try {
      resolved_ = store_->fetch(thread_id_).remote_id;
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::ThreadNotFound) throw;
    }
    return resolved_;
  }
  // Writes to an id no thread answers to create the thread under that id.
  std::string write_id() { return resolve().value_or(thread_id_); }

  std::shared_ptr<ThreadStore> store_;
  std::string thread_id_;
  std::mutex mutex_;
  std::optional<std::string> resolved_;
};

}  // namespace

std::shared_ptr<ThreadHistoryAdapter> ThreadStore::history(const std::string& remote_id) {
  return std::make_shared<StoreHistory>(shared_from_this(), remote_id);
}

void ThreadStore::write_messages(const std::string& remote_id,
                                 const std::vector<ExportedMessageRepositoryItem>& items) {
  for (const auto& item : items) write_message(remote_id, item);
}

ExportedMessageRepository ThreadStore::export_thread(const std::string& remote_id) {
  fetch(remote_id);  // ThreadNotFound for an unknown thread
  auto loaded = arrange_history(read_messages(remote_id));
  return ExportedMessageRepository{std::move(loaded.head_id), std::move(loaded.messages)};
}

Json ThreadStore::export_json(const std::string& remote_id) {
  return to_json(export_thread(remote_id));
}

std::string ThreadStore::export_markdown(const std::string& remote_id) {
  const auto meta = fetch(remote_id);
  return to_markdown(export_thread(remote_id), meta.title.value_or(std::string()));
}

void ThreadStore::generate_title(const std::string& remote_id, const MessageList& messages,
                                 const TitleSink& sink) {
  for (const auto& m : messages) {
    if (!m || m->role != Role::User) continue;
    std::string text = m->text();
    const auto start = text.find_first_not_of(" \t\r\n");
    if (start == std::string::npos) continue;
    text.erase(0, start);
    text = text.substr(0, text.find('\n'));
    constexpr std::size_t max_bytes = 60;
    if (text.size() > max_bytes) {
      std::size_t cut = max_bytes;
      // Do not cut a UTF-8 sequence in half: back up to the start of a character.
      while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
      text = text.substr(0, cut) + "…";
    }
    // A title the user gave (a rename that raced ahead of this generation) is kept.
    text = title_unless_titled(remote_id, text);
    if (sink) sink(text);
    return;
  }
}

ThreadHistoryLoadResult arrange_history(std::vector<ExportedMessageRepositoryItem> rows) {
  ThreadHistoryLoadResult out;
  // Keys are views into the rows' ids, which stay put until the rows move into the result at the
  // end: no id is copied or hashed twice over.
  std::unordered_set<std::string_view> present;
  present.reserve(rows.size());
  for (const auto& r : rows) {
    if (r.message) present.insert(r.message->id);
  }
  // Emit in write order; a row whose parent has not been emitted yet waits for it. Rows whose
  // parent is absent altogether (or that sit under such a row) can never be emitted: left out.
  std::unordered_set<std::string_view> emitted;
  emitted.reserve(rows.size());
  std::unordered_map<std::string_view, std::vector<std::size_t>> waiting;  // parent id → rows
  std::vector<std::size_t> order;
  order.reserve(rows.size());
  std::vector<std::size_t> ready;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    if (!r.message) continue;
    if (r.parent_id && !emitted.count(*r.parent_id)) {
      if (present.count(*r.parent_id)) waiting[*r.parent_id].push_back(i);
      continue;
    }
    ready.push_back(i);
    while (!ready.empty()) {
      const std::size_t k = ready.back();
      ready.pop_back();
      order.push_back(k);
      const std::string_view id = rows[k].message->id;
      emitted.insert(id);
      if (waiting.empty()) continue;  // the common case: every parent came first
      auto w = waiting.find(id);
      if (w != waiting.end()) {
        // Keep write order among the rows released together.
        for (auto it = w->second.rbegin(); it != w->second.rend(); ++it) ready.push_back(*it);
        waiting.erase(w);
      }
    }
  }
  if (order.empty()) return out;

  // The head: the last written emitted row, then its newest child repeatedly.
  std::unordered_map<std::string_view, std::size_t> newest_child;  // parent id → row index
  newest_child.reserve(order.size());
  std::size_t last = 0;
  for (std::size_t k : order) {
    const auto& r = rows[k];
    if (r.parent_id) {
      auto [it, inserted] = newest_child.emplace(*r.parent_id, k);
      if (!inserted && k > it->second) it->second = k;
    }
    last = std::max(last, k);
  }
  std::size_t head = last;
  for (std::size_t guard = 0; guard <= order.size(); ++guard) {
    auto it = newest_child.find(rows[head].message->id);
    if (it == newest_child.end()) break;
    head = it->second;
  }
  out.head_id = rows[head].message->id;
  out.messages.reserve(order.size());
  for (std::size_t k : order) out.messages.push_back(std::move(rows[k]));
  return out;
}

ThreadMessage mark_interrupted(ThreadMessage message) {
  if (message.role == Role::Assistant && message.status.is(StatusType::Running)) {
    message.status = MessageStatus::incomplete(
        StatusReason::Error,
        Json{{"code", "interrupted"},
             {"message", "the app stopped while this reply was being written; it is incomplete"}});
  }
  return message;
}

namespace {

std::string quote_lines(const std::string& text) {
  std::string out = "> ";
  for (char c : text) {
    out += c;
    if (c == '\n') out += "> ";
  }
  return out;
}

std::string fence(const std::string& body) {
  // A fence longer than any backtick run inside, so the body cannot close it.
  std::size_t run = 0;
  std::size_t longest = 0;
  for (char c : body) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string ticks(std::max<std::size_t>(3, longest + 1), '`');
  return ticks + "\n" + body + "\n" + ticks + "\n";
}

}  // namespace

std::string to_markdown(const ExportedMessageRepository& repo, const std::string& title) {
  std::unordered_map<Id, std::size_t> index;
  for (std::size_t i = 0; i < repo.messages.size(); ++i) {
    if (repo.messages[i].message) index[repo.messages[i].message->id] = i;
  }
  std::vector<const ExportedMessageRepositoryItem*> branch;
  std::optional<Id> at = repo.head_id;
  if (!at && !repo.messages.empty() && repo.messages.back().message)
    at = repo.messages.back().message->id;
  while (at) {
    auto it = index.find(*at);
    if (it == index.end() || branch.size() > repo.messages.size()) break;
    const auto& item = repo.messages[it->second];
    branch.push_back(&item);
    at = item.parent_id;
  }
  std::reverse(branch.begin(), branch.end());

  std::ostringstream md;
  md << "# " << (title.empty() ? std::string("Conversation") : title) << "\n\n";
  for (const auto* item : branch) {
    const ThreadMessage& m = *item->message;
    md << "## "
       << (m.role == Role::User        ? "User"
           : m.role == Role::Assistant ? "Assistant"
                                       : "System")
       << "\n\n";
    for (const auto& part : m.content) {
      if (const auto* t = part.get_if<TextPart>()) {
        md << t->text.view() << "\n\n";
      } else if (const auto* r = part.get_if<ReasoningPart>()) {
        md << quote_lines(r->text.str()) << "\n\n";
      } else if (const auto* call = part.get_if<ToolCallPart>()) {
        md << "Tool call `" << call->tool_name << "`:\n\n" << fence(call->args.dump(2)) << "\n";
        if (call->result) {
          md << (call->is_error.value_or(false) ? "Error:" : "Result:") << "\n\n"
             << fence(call->result->is_string() ? call->result->get<std::string>()
                                                : call->result->dump(2))
             << "\n";
        }
      } else if (const auto* s = part.get_if<SourcePart>()) {
        md << "Source: " << s->title.value_or(s->url) << (s->url.empty() ? "" : " <" + s->url + ">")
           << "\n\n";
      } else if (const auto* f = part.get_if<FilePart>()) {
        md << "File: " << (f->filename.empty() ? f->mime_type : f->filename) << "\n\n";
      } else if (part.is<ImagePart>()) {
        md << "(image)\n\n";
      }
    }
    for (const auto& a : m.attachments) md << "Attachment: " << a.name << "\n\n";
    if (m.role == Role::Assistant && m.status.is(StatusType::Incomplete)) {
      md << "*(incomplete: " << to_string(m.status.reason) << ")*\n\n";
    }
  }
  std::string out = md.str();
  while (out.size() > 1 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n')
    out.pop_back();
  return out;
}

// ---- search helpers shared by the stores ----

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

char fold_ascii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

/// Whether `word` occurs in `text` at `at`, ASCII letters in either case (what LIKE and ILIKE
/// match in both stores).
bool matches_at(std::string_view text, std::size_t at, std::string_view word) {
  if (word.empty() || text.size() - at < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i)
    if (fold_ascii(text[at + i]) != fold_ascii(word[i])) return false;
  return true;
}

/// The length of the longest word that occurs at `at`; 0 when none does.
std::size_t match_length(std::string_view text, std::size_t at,
                         const std::vector<std::string>& words) {
  std::size_t best = 0;
  for (const auto& w : words)
    if (w.size() > best && matches_at(text, at, w)) best = w.size();
  return best;
}

}  // namespace

std::vector<std::string> search_words(const std::string& query) {
  std::vector<std::string> words;
  std::string word;
  for (char c : query) {
    if (is_space(c)) {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

std::size_t search_word_length(const std::string& word) {
  return static_cast<std::size_t>(
      std::count_if(word.begin(), word.end(), [](char c) { return !is_continuation(c); }));
}

std::string substring_like_pattern(const std::string& word) {
  std::string out = "%";
  for (char c : word) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

std::string search_snippet(const std::string& text, const std::vector<std::string>& words,
                           std::size_t width) {
  const std::string_view t = text;
  // The first match; none (a match the store found by a case folding wider than ASCII's): the
  // start of the text.
  std::size_t first = t.size();
  for (std::size_t i = 0; i < t.size() && first == t.size(); ++i)
    if (match_length(t, i, words) > 0) first = i;
  if (first == t.size()) first = 0;

  // A window of `width` bytes with the match a third of the way in, cut at white space where
  // there is some near the edges and never inside a UTF-8 character.
  std::size_t begin = first > width / 3 ? first - width / 3 : 0;
  std::size_t end = std::min(t.size(), begin + width);
  if (end - begin < width) begin = end > width ? end - width : 0;
  begin = std::min(begin, first);
  while (begin > 0 && is_continuation(t[begin])) --begin;
  while (end < t.size() && is_continuation(t[end])) ++end;
  if (begin > 0) {
    for (std::size_t i = begin; i < first && i < begin + 16; ++i) {
      if (is_space(t[i])) {
        begin = i + 1;
        break;
      }
    }
  }
  if (end < t.size()) {
    for (std::size_t i = end; i > first && i + 16 > end; --i) {
      if (is_space(t[i - 1])) {
        end = i - 1;
        break;
      }
    }
  }

  std::string out;
  if (begin > 0) out += "…";
  bool space = false;
  for (std::size_t i = begin; i < end;) {
    if (const std::size_t n = match_length(t, i, words)) {
      if (space && !out.empty() && out != "…") out += ' ';
      space = false;
      out += '[';
      out.append(t.substr(i, n));
      out += ']';
      i += n;
      end = std::max(end, i);  // a match that runs past the window is shown whole
      continue;
    }
    if (is_space(t[i])) {
      space = true;
    } else {
      if (space && !out.empty() && out != "…") out += ' ';
      space = false;
      out += t[i];
    }
    ++i;
  }
  if (end < t.size()) out += "…";
  return out;
}

}  // namespace aui
