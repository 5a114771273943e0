// The Streamable HTTP transport (http_transport.hpp): one thread per server runs a libcurl multi
// handle with every transfer of the session (the POSTs, the GET stream, resumptions, DELETE).

#include "aui/mcp/http_transport.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <deque>
#include <list>
#include <mutex>
#include <thread>

#include "aui/mcp/json_rpc.hpp"
#include "aui/streaming/sse_parser.hpp"
#include "framing.hpp"

namespace aui::mcp {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kErrorBodyMax = 64 * 1024;

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

// "host:port" of a URL, for messages: never the path or query, which may hold a token.
std::string host_of(const std::string& url) {
  auto start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  auto end = url.find_first_of("/?#", start);
  std::string host = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (const auto at = host.rfind('@'); at != std::string::npos) host = host.substr(at + 1);
  return host;
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

enum class Kind { Post, Listen, Resume, Delete };

struct Transfer {
  Kind kind = Kind::Post;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  std::string body;
  Json request_id;  // the id of the request this POST (or its resumption) carries, or null
  bool is_initialize = false;
  long status = 0;
  bool stream = false;  // the answer is text/event-stream
  bool typed = false;   // the content type was looked at
  std::string content_type;
  std::string data;  // a JSON answer or an error body
  std::unique_ptr<SseParser> sse;
  std::string last_event_id;
  long retry_ms = -1;
  bool answered = false;
  bool too_large = false;
  bool got_event = false;
  int attempts = 0;  // resumptions / reconnections so far
  char error[CURL_ERROR_SIZE] = {0};
};

struct Scheduled {
  Clock::time_point due;
  Kind kind;
  Json request_id;
  std::string last_event_id;
  int attempts;
};

class HttpTransport final : public McpTransport {
 public:
  explicit HttpTransport(HttpServerParams params) : params_(std::move(params)) { global_init(); }
  ~HttpTransport() override {
    close();
    // Here, not in close(): send() may still read multi_ after close() began (it then fails).
    if (multi_) curl_multi_cleanup(multi_);
  }

  std::string describe() const override { return host_of(params_.url); }

  void start(Handlers handlers) override {
    handlers_ = std::move(handlers);
    if (params_.url.rfind("http://", 0) != 0 && params_.url.rfind("https://", 0) != 0)
      throw McpError(rpc_code::ConnectionClosed,
                     "the server's url must start with http:// or https://");
    std::lock_guard lock(mutex_);
    if (closing_) throw McpError(rpc_code::ConnectionClosed, "the connection was closed");
    multi_ = curl_multi_init();
    if (!multi_) throw McpError(rpc_code::ConnectionClosed, "cannot start libcurl");
    started_ = true;
    io_ = std::thread([this] { run(); });
  }

  void send(const Json& message) override {
    Json id = nullptr;
    bool initialize = false;
    if (message.is_object() && message.contains("method") && message.contains("id")) {
      id = message["id"];
      initialize = message["method"] == "initialize";
    }
    {
      std::lock_guard lock(mutex_);
      if (!started_ || closing_ || ended_)
        throw McpError(rpc_code::ConnectionClosed, "the connection to the server is closed");
      Outgoing o;
      o.body = message.dump(-1, ' ', false, Json::error_handler_t::replace);
      o.request_id = std::move(id);
      o.is_initialize = initialize;
      outgoing_.push_back(std::move(o));
    }
    curl_multi_wakeup(multi_);
  }

  void set_protocol_version(const std::string& version) override {
    {
      std::lock_guard lock(mutex_);
      protocol_version_ = version;
      if (params_.listen) listen_wanted_ = true;
    }
    if (multi_) curl_multi_wakeup(multi_);
  }

  void close() override {
    {
      std::lock_guard lock(mutex_);
      if (closing_) return;
      closing_ = true;
    }
    if (!io_.joinable()) return;
    curl_multi_wakeup(multi_);
    io_.join();
  }

 private:
  struct Outgoing {
    std::string body;
    Json request_id;
    bool is_initialize = false;
  };

  void log(const std::string& line) {
    if (handlers_.on_log) handlers_.on_log(line);
  }

  // An answer the transport makes up for a request that got none, so the client's wait ends
  // with the reason.
  void fail_request(const Json& id, int code, const std::string& why) {
    if (id.is_null()) {
      log(why);
      return;
    }
    handlers_.on_message(make_error(id, code, why));
  }

  void end_session(const std::string& why) {
    {
      std::lock_guard lock(mutex_);
      if (ended_) return;
      ended_ = true;
    }
    if (handlers_.on_closed) handlers_.on_closed(why);
  }

  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto* self_and_transfer = static_cast<std::pair<HttpTransport*, Transfer*>*>(user);
    auto [self, t] = *self_and_transfer;
    const std::string line(data, size * count);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      const std::string name = lower(line.substr(0, colon));
      if (name == "mcp-session-id") {
        std::lock_guard lock(self->mutex_);
        self->session_id_ = trim(line.substr(colon + 1));
      }
    } else if (line.rfind("HTTP/", 0) == 0) {
      t->content_type.clear();  // a new response (after a 100 Continue)
    }
    return size * count;
  }

  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* self_and_transfer = static_cast<std::pair<HttpTransport*, Transfer*>*>(user);
    auto [self, t] = *self_and_transfer;
    const std::size_t n = size * count;
    if (!t->typed) {
      t->typed = true;
      curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &t->status);
      char* type = nullptr;
      curl_easy_getinfo(t->easy, CURLINFO_CONTENT_TYPE, &type);
      t->content_type = type ? lower(type) : "";
      t->stream = t->status >= 200 && t->status < 300 &&
                  t->content_type.find("text/event-stream") != std::string::npos;
      if (t->stream) {
        t->sse =
            std::make_unique<SseParser>([self, t](const SseEvent& e) { self->on_event(*t, e); });
        t->sse->on_unknown_field({});
      }
    }
    if (t->stream) {
      t->sse->feed(std::string_view(data, n));
      return n;
    }
    const std::size_t cap = t->status >= 300 ? kErrorBodyMax : self->params_.max_message_bytes;
    if (t->data.size() + n > cap) {
      if (t->status >= 300) return n;  // enough of an error page
      t->too_large = true;
      return 0;  // ends the transfer
    }
    t->data.append(data, n);
    return n;
  }

  void on_event(Transfer& t, const SseEvent& e) {
    t.got_event = true;
    if (!e.id.empty()) t.last_event_id = e.id;
    if (e.retry) t.retry_ms = *e.retry;
    if (e.event != "" && e.event != "message") return;
    if (e.data.empty()) return;  // a priming event: an id to resume from, no message
    if (e.data.size() > params_.max_message_bytes) {
      fail_request(t.request_id, rpc_code::MessageTooLarge,
                   "the server sent a message of " + detail::describe_size(e.data.size()) +
                       ", more than the " + detail::describe_size(params_.max_message_bytes) +
                       " allowed");
      t.answered = true;
      return;
    }
    detail::parse_messages(
        e.data,
        [&](Json m) {
          if (!t.request_id.is_null() && m.is_object() && !m.contains("method") &&
              m.value("id", Json()) == t.request_id)
            t.answered = true;
          handlers_.on_message(std::move(m));
        },
        [this](const std::string& why) { log(why); });
  }

  Transfer* add_transfer(Kind kind, std::string body, Json request_id, bool initialize,
                         const std::string& last_event_id, int attempts) {
    auto t = std::make_unique<Transfer>();
    t->kind = kind;
    t->body = std::move(body);
    t->request_id = std::move(request_id);
    t->is_initialize = initialize;
    t->attempts = attempts;
    t->last_event_id = last_event_id;
    t->easy = curl_easy_init();
    CURL* e = t->easy;
    std::string session, version;
    {
      std::lock_guard lock(mutex_);
      session = session_id_;
      version = protocol_version_;
    }
    auto add = [&](const std::string& h) { t->headers = curl_slist_append(t->headers, h.c_str()); };
    if (kind == Kind::Post) {
      add("Content-Type: application/json");
      add("Accept: application/json, text/event-stream");
    } else if (kind != Kind::Delete) {
      add("Accept: text/event-stream");
    }
    if (!session.empty()) add("Mcp-Session-Id: " + session);
    if (!version.empty()) add("MCP-Protocol-Version: " + version);
    if (!last_event_id.empty()) add("Last-Event-ID: " + last_event_id);
    for (const auto& [name, value] : params_.headers) add(name + ": " + value);
    curl_easy_setopt(e, CURLOPT_URL, params_.url.c_str());
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(params_.connect_timeout.count()));
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, params_.verify_tls ? 1L : 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, params_.verify_tls ? 2L : 0L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->error);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    if (kind == Kind::Post) {
      curl_easy_setopt(e, CURLOPT_POST, 1L);
      curl_easy_setopt(e, CURLOPT_POSTFIELDS, t->body.c_str());
      curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, static_cast<long>(t->body.size()));
    } else if (kind == Kind::Delete) {
      curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "DELETE");
      curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 2'000L);
    } else {
      curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    }
    auto* user = new std::pair<HttpTransport*, Transfer*>(this, t.get());
    curl_easy_setopt(e, CURLOPT_PRIVATE, user);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &HttpTransport::on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, user);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &HttpTransport::on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, user);
    curl_multi_add_handle(multi_, e);
    Transfer* raw = t.get();
    transfers_.push_back(std::move(t));
    return raw;
  }

  void remove_transfer(Transfer* t) {
    void* user = nullptr;
    curl_easy_getinfo(t->easy, CURLINFO_PRIVATE, &user);
    delete static_cast<std::pair<HttpTransport*, Transfer*>*>(user);
    curl_multi_remove_handle(multi_, t->easy);
    curl_easy_cleanup(t->easy);
    curl_slist_free_all(t->headers);
    transfers_.remove_if([t](const std::unique_ptr<Transfer>& p) { return p.get() == t; });
  }

  std::chrono::milliseconds delay_for(const Transfer& t) const {
    if (t.retry_ms >= 0) return std::chrono::milliseconds(t.retry_ms);
    return params_.reconnect_delay;
  }

  // The server's words in an error body: a JSON-RPC error's message, else the start of the text.
  static std::string error_text(const Transfer& t) {
    try {
      const Json j = Json::parse(t.data);
      if (j.is_object() && j.contains("error") && j["error"].is_object() &&
          j["error"].value("message", Json()).is_string())
        return j["error"]["message"].get<std::string>();
    } catch (const Json::exception&) {
    }
    return detail::excerpt(trim(t.data), 200);
  }

  void finished(Transfer* t, CURLcode code) {
    if (t->sse) t->sse->finish();
    if (t->status == 0) curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &t->status);
    const std::string host = host_of(params_.url);
    bool closing;
    {
      std::lock_guard lock(mutex_);
      closing = closing_;
    }
    if (t->kind == Kind::Delete || closing) return;
    if (t->too_large) {
      fail_request(t->request_id, rpc_code::MessageTooLarge,
                   "the server's answer is larger than the " +
                       detail::describe_size(params_.max_message_bytes) + " allowed");
      return;
    }
    const bool has_session = [&] {
      std::lock_guard lock(mutex_);
      return !session_id_.empty();
    }();
    if (code != CURLE_OK && t->status == 0) {
      std::string why = "cannot reach " + host + ": " +
                        (t->error[0] ? std::string(t->error) : curl_easy_strerror(code));
      if (t->kind == Kind::Post) {
        fail_request(t->request_id, rpc_code::TransportError, why);
      } else {
        reconnect(*t, why);
      }
      return;
    }
    if (t->status == 404 && has_session && !t->is_initialize) {
      fail_request(t->request_id, rpc_code::ConnectionClosed, "the server ended the session");
      end_session("the server ended the session (HTTP 404)");
      return;
    }
    if (t->kind == Kind::Listen && (t->status == 405 || t->status == 404)) {
      return;  // no stream for server messages: that is allowed
    }
    if (t->status >= 300) {
      const std::string why = "the server answered HTTP " + std::to_string(t->status) +
                              (t->data.empty() ? "" : ": " + error_text(*t));
      if (t->kind == Kind::Post) {
        fail_request(t->request_id, rpc_code::TransportError, why);
      } else {
        reconnect(*t, why);
      }
      return;
    }
    if (t->kind == Kind::Post && !t->stream) {
      if (!t->data.empty()) {
        detail::parse_messages(
            t->data, [this](Json m) { handlers_.on_message(std::move(m)); },
            [this](const std::string& why) { log(why); });
      } else if (!t->request_id.is_null() && t->status != 202) {
        fail_request(
            t->request_id, rpc_code::TransportError,
            "the server answered HTTP " + std::to_string(t->status) + " without a message");
      }
      return;
    }
    // A stream ended.
    if (t->kind == Kind::Listen) {
      reconnect(*t, "the server's event stream ended");
      return;
    }
    if (!t->request_id.is_null() && !t->answered) {
      // Closed before its answer: resume it where it stopped, if the server numbered its events.
      if (!t->last_event_id.empty() && t->attempts < params_.max_reconnects) {
        schedule(Kind::Resume, t->request_id, t->last_event_id, t->attempts + 1, delay_for(*t));
      } else {
        fail_request(t->request_id, rpc_code::ConnectionClosed,
                     "the server ended the answer's stream before it answered");
      }
    }
  }

  void reconnect(const Transfer& t, const std::string& why) {
    const int attempts = t.got_event ? 1 : t.attempts + 1;
    if (attempts > params_.max_reconnects) {
      log(why + "; gave up reconnecting");
      if (t.kind == Kind::Resume && !t.answered)
        fail_request(t.request_id, rpc_code::ConnectionClosed, why);
      return;
    }
    if (t.kind == Kind::Resume && t.answered) return;
    schedule(t.kind, t.request_id, t.last_event_id, attempts, delay_for(t));
  }

  void schedule(Kind kind, Json request_id, std::string last_event_id, int attempts,
                std::chrono::milliseconds delay) {
    scheduled_.push_back(Scheduled{Clock::now() + delay, kind, std::move(request_id),
                                   std::move(last_event_id), attempts});
  }

  void run() {
    bool listening = false;
    for (;;) {
      std::deque<Outgoing> outgoing;
      bool closing, listen;
      {
        std::lock_guard lock(mutex_);
        outgoing.swap(outgoing_);
        closing = closing_;
        listen = listen_wanted_ && !ended_;
      }
      if (closing) break;
      for (auto& o : outgoing)
        add_transfer(Kind::Post, std::move(o.body), std::move(o.request_id), o.is_initialize, {},
                     0);
      if (listen && !listening) {
        listening = true;
        add_transfer(Kind::Listen, {}, nullptr, false, {}, 0);
      }
      const auto now = Clock::now();
      for (auto it = scheduled_.begin(); it != scheduled_.end();) {
        if (it->due <= now) {
          add_transfer(it->kind, {}, it->request_id, false, it->last_event_id, it->attempts);
          it = scheduled_.erase(it);
        } else {
          ++it;
        }
      }
      int running = 0;
      curl_multi_perform(multi_, &running);
      while (CURLMsg* msg = [&] {
        int left = 0;
        return curl_multi_info_read(multi_, &left);
      }()) {
        if (msg->msg != CURLMSG_DONE) continue;
        void* user = nullptr;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &user);
        Transfer* t = static_cast<std::pair<HttpTransport*, Transfer*>*>(user)->second;
        const CURLcode code = msg->data.result;
        finished(t, code);
        remove_transfer(t);
      }
      int timeout_ms = 1000;
      for (const auto& s : scheduled_) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(s.due - Clock::now());
        timeout_ms = std::min<int>(timeout_ms, std::max<int>(0, static_cast<int>(left.count())));
      }
      curl_multi_poll(multi_, nullptr, 0, timeout_ms, nullptr);
    }
    // Closing: drop every transfer, then end the session politely.
    while (!transfers_.empty()) remove_transfer(transfers_.front().get());
    std::string session;
    {
      std::lock_guard lock(mutex_);
      session = ended_ ? std::string() : session_id_;
    }
    if (!session.empty()) {
      add_transfer(Kind::Delete, {}, nullptr, false, {}, 0);
      int running = 1;
      const auto end = Clock::now() + std::chrono::milliseconds(2'500);
      while (running > 0 && Clock::now() < end) {
        curl_multi_perform(multi_, &running);
        if (running > 0) curl_multi_poll(multi_, nullptr, 0, 100, nullptr);
      }
      while (!transfers_.empty()) remove_transfer(transfers_.front().get());
    }
  }

  HttpServerParams params_;
  Handlers handlers_;
  CURLM* multi_ = nullptr;
  std::thread io_;
  std::mutex mutex_;
  std::deque<Outgoing> outgoing_;
  std::string session_id_;
  std::string protocol_version_;
  bool started_ = false;
  bool closing_ = false;
  bool ended_ = false;
  bool listen_wanted_ = false;
  // Owned by the I/O thread:
  std::list<std::unique_ptr<Transfer>> transfers_;
  std::vector<Scheduled> scheduled_;
};

}  // namespace

std::unique_ptr<McpTransport> make_http_transport(HttpServerParams params) {
  return std::make_unique<HttpTransport>(std::move(params));
}

}  // namespace aui::mcp
