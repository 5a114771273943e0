// The streaming POST of the built-in backends, on libcurl's multi interface.
//
// Why the multi interface: curl_easy_perform can only be interrupted from its progress callback,
// which curl calls about once a second while a connection is quiet. A model that thinks for a
// minute before its first token would keep a cancelled run alive that long. Here the transfer
// waits in curl_multi_poll, and a std::stop_callback wakes that wait (curl_multi_wakeup, which is
// safe from any thread), so a cancel ends the transfer at once.

#include "aui/backends/http_stream.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <condition_variable>
#include <ctime>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>

#include "aui/support/errors.hpp"

namespace aui {

namespace {

using Clock = std::chrono::steady_clock;

// The most of a non-2xx body kept for its error message.
constexpr std::size_t kMaxErrorBody = 64 * 1024;

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

// What one attempt saw; the callbacks write it on the calling thread (curl calls them from
// curl_multi_perform).
struct Transfer {
  CURL* easy = nullptr;
  const std::function<void(std::string_view)>* on_body = nullptr;
  std::size_t max_bytes = 0;
  std::size_t received = 0;
  long status = 0;
  bool status_known = false;
  bool streaming = false;  // a 2xx stream: the body goes to on_body
  bool sniffing = false;   // a 2xx of another type: its first line decides (see classify)
  bool body_used = false;  // on_body has been called
  bool too_large = false;
  bool cancelled = false;  // the stop token fired while the body was arriving
  const std::stop_token* stop = nullptr;
  std::string collected;  // an error body, or a 2xx JSON body
  std::string content_type;
  std::string retry_after;
  std::exception_ptr error;
  Clock::time_point last_activity{};
};

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t len = size * n;
  t->last_activity = Clock::now();
  const std::string_view line(data, len);
  if (line.starts_with("HTTP/")) {
    // A new response (after a 100 Continue, say): forget the headers of the previous one.
    t->content_type.clear();
    t->retry_after.clear();
    return len;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return len;
  const std::string name = lower(trim(line.substr(0, colon)));
  const std::string_view value = trim(line.substr(colon + 1));
  if (name == "content-type") t->content_type = lower(value);
  if (name == "retry-after") t->retry_after = std::string(value);
  return len;
}

bool is_json_type(const std::string& type) { return type.find("json") != std::string::npos; }
bool is_page_type(const std::string& type) {
  return type.find("html") != std::string::npos || type.find("xml") != std::string::npos;
}

// Whether a 2xx answer is an event stream. text/event-stream (or no type at all) is; JSON and
// web pages are not; for any other type (text/plain from a few servers) the first line decides,
// so `sniffing` is set and the body is held until that line is complete.
void classify(Transfer& t) {
  const bool ok = t.status >= 200 && t.status < 300;
  const std::string& type = t.content_type;
  t.streaming = false;
  t.sniffing = false;
  if (!ok || is_json_type(type) || is_page_type(type)) return;
  if (type.empty() || type.find("event-stream") != std::string::npos) {
    t.streaming = true;
  } else {
    t.sniffing = true;
  }
}

// The first non-blank line of `body` if it is complete (or `at_end`), else nullopt.
std::optional<std::string_view> first_line(std::string_view body, bool at_end) {
  const auto start = body.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos)
    return at_end ? std::optional<std::string_view>("") : std::nullopt;
  const auto end = body.find_first_of("\r\n", start);
  if (end == std::string_view::npos && !at_end) return std::nullopt;
  return body.substr(start, end == std::string_view::npos ? body.size() - start : end - start);
}

// An SSE line: a comment or one of the four fields.
bool looks_like_sse(std::string_view line) {
  for (std::string_view field : {"data", "event", "id", "retry"}) {
    if (line.starts_with(field) && (line.size() == field.size() || line[field.size()] == ':'))
      return true;
  }
  return line.starts_with(":");
}

// Most of a sniffed body held before deciding (a first line longer than this is not SSE).
constexpr std::size_t kMaxSniff = 64 * 1024;

std::size_t deliver(Transfer* t, std::string_view bytes, std::size_t len) {
  try {
    t->body_used = true;
    (*t->on_body)(bytes);
  } catch (...) {
    // Never let an exception cross curl's C frames; it is rethrown once the transfer is down.
    t->error = std::current_exception();
    return 0;
  }
  return len;
}

std::size_t on_write(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t len = size * n;
  t->last_activity = Clock::now();
  // A cancel ends the transfer at the next slice, however fast the data comes: no slice is
  // handed on once stop was requested.
  if (t->stop && t->stop->stop_requested()) {
    t->cancelled = true;
    return 0;  // ends the transfer with CURLE_WRITE_ERROR
  }
  if (!t->status_known) {
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &t->status);
    t->status_known = true;
    classify(*t);
  }
  t->received += len;
  if (t->received > t->max_bytes) {
    t->too_large = true;
    return 0;
  }
  if (t->streaming) return deliver(t, std::string_view(data, len), len);
  if (t->sniffing) {
    t->collected.append(data, len);
    const auto line = first_line(t->collected, t->collected.size() >= kMaxSniff);
    if (!line) return len;
    t->sniffing = false;
    if (!looks_like_sse(*line)) return len;  // kept: it is reported as what it is
    t->streaming = true;
    std::string held = std::move(t->collected);
    t->collected.clear();
    return deliver(t, held, len);
  }
  const bool ok = t->status >= 200 && t->status < 300;
  const std::size_t limit = ok && is_json_type(t->content_type) ? t->max_bytes : kMaxErrorBody;
  if (t->collected.size() < limit)
    t->collected.append(data, std::min(len, limit - t->collected.size()));
  return len;
}

struct CurlCleanup {
  CURL* easy = nullptr;
  CURLM* multi = nullptr;
  curl_slist* headers = nullptr;
  ~CurlCleanup() {
    if (multi && easy) curl_multi_remove_handle(multi, easy);
    if (easy) curl_easy_cleanup(easy);
    if (multi) curl_multi_cleanup(multi);
    if (headers) curl_slist_free_all(headers);
  }
};

std::string seconds_text(std::chrono::milliseconds ms) {
  if (ms.count() % 1000 == 0) return std::to_string(ms.count() / 1000) + " s";
  return std::to_string(ms.count()) + " ms";
}

// The provider's message in an error body: OpenAI {"error": {"message"}}, Anthropic {"type":
// "error", "error": {...}}, Ollama {"error": "..."}, FastAPI {"detail": ...}, or plain text.
std::string provider_message(const Json& body) {
  if (body.is_string()) return std::string(trim(body.get<std::string>()));
  if (!body.is_object()) return body.is_null() ? "" : body.dump();
  for (const char* key : {"error", "detail"}) {
    const auto it = body.find(key);
    if (it == body.end() || it->is_null()) continue;
    if (it->is_string()) return it->get<std::string>();
    if (it->is_object()) {
      if (auto m = it->find("message"); m != it->end() && m->is_string())
        return m->get<std::string>();
      return provider_message(*it);
    }
    return it->dump();
  }
  if (auto m = body.find("message"); m != body.end() && m->is_string())
    return m->get<std::string>();
  return body.dump();
}

// The <title> of a web page on one line: entities for the common characters decoded, controls
// dropped, at most 120 bytes (cut at a character boundary). "" when there is none.
std::string page_title(std::string_view page) {
  const std::string low = lower(page.substr(0, std::min<std::size_t>(page.size(), kMaxErrorBody)));
  const auto open = low.find("<title");
  if (open == std::string::npos) return {};
  const auto start = low.find('>', open);
  if (start == std::string::npos) return {};
  const auto end = low.find("</title", start);
  std::string_view raw =
      page.substr(start + 1, (end == std::string::npos ? low.size() : end) - start - 1);
  std::string out;
  bool space = false;
  for (std::size_t i = 0; i < raw.size() && out.size() < 400; ++i) {
    const auto c = static_cast<unsigned char>(raw[i]);
    if (c < 0x20 || c == 0x7F || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    if (c == '&') {
      static constexpr std::pair<std::string_view, char> kEntities[] = {
          {"&amp;", '&'},  {"&lt;", '<'},    {"&gt;", '>'},  {"&quot;", '"'},
          {"&#39;", '\''}, {"&apos;", '\''}, {"&nbsp;", ' '}};
      bool decoded = false;
      for (const auto& [name, ch] : kEntities) {
        if (raw.substr(i).size() >= name.size() && lower(raw.substr(i, name.size())) == name) {
          out.push_back(ch);
          i += name.size() - 1;
          decoded = true;
          break;
        }
      }
      if (decoded) continue;
    }
    out.push_back(static_cast<char>(c));
  }
  constexpr std::size_t kMax = 120;
  if (out.size() > kMax) {
    std::size_t cut = kMax;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
    out += "…";
  }
  return std::string(trim(out));
}

// A 2xx answer that is neither JSON nor an event stream: a captive portal, a login proxy or a
// wrong base URL answering with its web page.
HttpError not_a_stream(const std::string& host, const Transfer& t) {
  const std::string type =
      t.content_type.empty()
          ? std::string("no content type")
          : std::string(trim(t.content_type.substr(0, t.content_type.find(';'))));
  if (is_page_type(t.content_type)) {
    const std::string title = page_title(t.collected);
    return HttpError("not_streaming",
                     host + " answered with a web page" +
                         (title.empty() ? std::string() : " (\"" + title + "\")") +
                         ", not an event stream. Check the base URL: a wrong address, a captive "
                         "portal or a login page may be answering instead of the model.",
                     t.status, title.empty() ? Json() : Json{{"title", title}});
  }
  return HttpError("not_streaming",
                   host + " answered with " + type +
                       ", not an event stream. Check the base URL: it should point at the "
                       "model's API.",
                   t.status);
}

Json parse_body(const std::string& text) {
  if (trim(text).empty()) return nullptr;
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return std::string(trim(text)).substr(0, 500);
  return j;
}

std::string status_words(long status) {
  switch (status) {
    case 400: return " Bad Request";
    case 401: return " Unauthorized";
    case 402: return " Payment Required";
    case 403: return " Forbidden";
    case 404: return " Not Found";
    case 408: return " Request Timeout";
    case 413: return " Payload Too Large";
    case 422: return " Unprocessable Entity";
    case 429: return " Too Many Requests";
    case 500: return " Internal Server Error";
    case 502: return " Bad Gateway";
    case 503: return " Service Unavailable";
    case 504: return " Gateway Timeout";
    case 529: return " Overloaded";
    default: return "";
  }
}

HttpError status_error(const std::string& host, long status, const Json& body, int attempts) {
  std::string said = provider_message(body);
  if (said.size() > 500) said = said.substr(0, 500) + "…";
  const std::string head = "HTTP " + std::to_string(status) + status_words(status);
  std::string message;
  std::string code = "http_error";
  if (status == 401 || status == 403) {
    message = host + " refused the request (" + head + ")" + (said.empty() ? "" : ": " + said) +
              ". Check the API key.";
    code = "unauthorized";
  } else if (status == 404) {
    message = host + " answered " + head + (said.empty() ? "" : ": " + said) +
              ". Check the base URL and the model name.";
    code = "not_found";
  } else if (status == 429) {
    message = host + " is rate limiting requests (" + head + ")" +
              (said.empty() ? "" : ": " + said) +
              (attempts > 1 ? " (tried " + std::to_string(attempts) + " times)" : "") +
              ". Try again later.";
    code = "rate_limited";
  } else if (status >= 500) {
    message = host + " failed (" + head + ")" + (said.empty() ? "" : ": " + said) +
              (attempts > 1 ? " (tried " + std::to_string(attempts) + " times)" : "") + ".";
    code = "server_error";
  } else {
    message =
        host + " rejected the request (" + head + ")" + (said.empty() ? "" : ": " + said) + ".";
  }
  return HttpError(code, message, status, body);
}

HttpError curl_error(const std::string& host, CURLcode rc, const char* errbuf,
                     const HttpSettings& settings, bool got_response) {
  const std::string detail = errbuf[0] ? std::string(trim(errbuf)) : curl_easy_strerror(rc);
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
      return HttpError("dns", "Could not find the server " + host +
                                  " (the DNS lookup failed). Check the base URL and the network.");
    case CURLE_COULDNT_RESOLVE_PROXY:
      return HttpError("dns", "Could not find the proxy (the DNS lookup failed): " + detail + ".");
    case CURLE_COULDNT_CONNECT:
      return HttpError(
          "connection_refused",
          "Could not connect to " + host +
              ": the connection was refused. Is the server running, and is the base URL right?");
    case CURLE_OPERATION_TIMEDOUT:
      if (!got_response) {
        return HttpError("connect_timeout", "Timed out connecting to " + host + " after " +
                                                seconds_text(settings.connect_timeout) + ".");
      }
      return HttpError("network", "The connection to " + host + " timed out: " + detail + ".");
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
      return HttpError("tls",
                       "The secure connection to " + host + " failed (TLS): " + detail + ".");
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return HttpError("bad_url", "The base URL is not usable: " + detail + ".");
    default: return HttpError("network", "The connection to " + host + " broke: " + detail + ".");
  }
}

// Retry-After is seconds or an HTTP date.
std::chrono::milliseconds retry_after_delay(const std::string& value) {
  if (value.empty()) return std::chrono::milliseconds(-1);
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::chrono::seconds(std::stoll(value.substr(0, 9)));
  }
  const time_t when = curl_getdate(value.c_str(), nullptr);
  if (when < 0) return std::chrono::milliseconds(-1);
  return std::chrono::seconds(
      std::max<long long>(0, static_cast<long long>(when - std::time(nullptr))));
}

bool retriable(long status) {
  return status == 429 || status == 500 || status == 502 || status == 503 || status == 504 ||
         status == 529;
}

struct AttemptResult {
  Transfer transfer;
  CURLcode code = CURLE_OK;
  bool idle = false;
  char errbuf[CURL_ERROR_SIZE] = {};
};

// One request, start to end. Throws aui::Cancelled when `stop` fires.
void perform(const HttpRequest& request, const HttpSettings& settings, const std::stop_token& stop,
             const std::function<void(std::string_view)>& on_body, AttemptResult& r,
             bool post = true) {
  CurlCleanup c;
  c.easy = curl_easy_init();
  c.multi = curl_multi_init();
  if (!c.easy || !c.multi)
    throw HttpError("network", "Could not start an HTTP transfer (libcurl failed to initialise).");
  for (const auto& [name, value] : request.headers) {
    const std::string line = name + ": " + value;
    curl_slist* next = curl_slist_append(c.headers, line.c_str());
    if (!next) throw HttpError("network", "Could not start an HTTP transfer (out of memory).");
    c.headers = next;
  }
  Transfer& t = r.transfer;
  t.easy = c.easy;
  t.on_body = &on_body;
  t.max_bytes = settings.max_response_bytes;
  t.stop = &stop;
  t.last_activity = Clock::now();

  CURL* e = c.easy;
  curl_easy_setopt(e, CURLOPT_URL, request.url.c_str());
  if (post) {
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  } else {
    curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
  }
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, c.headers);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r.errbuf);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(settings.connect_timeout.count()));
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, settings.verify_tls ? 1L : 0L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, settings.verify_tls ? 2L : 0L);
  if (!settings.ca_file.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, settings.ca_file.c_str());
  curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(e, CURLOPT_USERAGENT, "aui/0.1");
  // Only http and https, also after a redirect (which is not followed anyway).
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_multi_add_handle(c.multi, e);

  bool cancelled = false;
  {
    CURLM* multi = c.multi;
    std::stop_callback wake(stop, [multi] { curl_multi_wakeup(multi); });
    for (;;) {
      if (stop.stop_requested()) {
        cancelled = true;
        break;
      }
      int running = 0;
      if (curl_multi_perform(c.multi, &running) != CURLM_OK) {
        throw HttpError(
            "network", "The HTTP transfer to " + url_host(request.url) + " failed inside libcurl.");
      }
      if (running == 0) break;
      const auto idle_deadline = t.last_activity + settings.idle_timeout;
      const auto now = Clock::now();
      if (now >= idle_deadline) {
        r.idle = true;
        break;
      }
      const auto wait =
          std::chrono::duration_cast<std::chrono::milliseconds>(idle_deadline - now).count() + 1;
      curl_multi_poll(c.multi, nullptr, 0, static_cast<int>(std::min<long long>(wait, INT_MAX)),
                      nullptr);
    }
  }  // the stop callback is gone before the multi handle is
  if (cancelled || t.cancelled) throw Cancelled();
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(c.multi, &left)) {
    if (msg->msg == CURLMSG_DONE) r.code = msg->data.result;
  }
  if (!t.status_known) {
    // No body byte came: still tell an empty stream from an empty JSON answer.
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &t.status);
    classify(t);
  }
  if (t.sniffing) {
    // The body ended before its first line did: decide on what came.
    t.sniffing = false;
    const auto line = first_line(t.collected, true);
    if (looks_like_sse(*line) && r.code == CURLE_OK) {
      t.streaming = true;
      std::string held = std::move(t.collected);
      t.collected.clear();
      deliver(&t, held, held.size());
    }
  }
}

}  // namespace

HttpError::HttpError(std::string code, const std::string& message, long http_status, Json detail)
    : std::runtime_error(message),
      code_(std::move(code)),
      http_status_(http_status),
      detail_(std::move(detail)) {}

Json HttpError::to_assistant_error() const {
  Json e{{"code", code_}, {"message", what()}};
  if (http_status_ != 0) e["status"] = http_status_;
  if (!detail_.is_null()) e["detail"] = detail_;
  return e;
}

std::string url_host(std::string_view url) {
  auto scheme = url.find("://");
  std::string_view rest = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const auto at = rest.rfind('@'); at != std::string_view::npos)
    rest.remove_prefix(at + 1);  // no user:password
  return rest.empty() ? std::string("the server") : std::string(rest);
}

std::string redact(std::string text, std::string_view secret) {
  if (secret.empty()) return text;
  for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
    text.replace(at, secret.size(), "[redacted]");
    at += 10;
  }
  return text;
}

namespace {

// Sends `request` until an attempt gets a 2xx answer, retrying 429/5xx answers whose body was not
// used (with backoff, or what Retry-After says), and returns that attempt with its number. Every
// other failure throws: HttpError, aui::Cancelled, or the exception `on_body` threw.
std::unique_ptr<AttemptResult> perform_until_answered(
    const HttpRequest& request, const HttpSettings& settings, const std::stop_token& stop,
    const std::function<void(std::string_view)>& on_body, bool post, const char* too_large_tail,
    int& attempt) {
  init_curl_once();
  const std::string host = url_host(request.url);
  for (attempt = 1;; ++attempt) {
    auto r = std::make_unique<AttemptResult>();
    perform(request, settings, stop, on_body, *r, post);
    Transfer& t = r->transfer;
    if (t.error) std::rethrow_exception(t.error);
    if (t.too_large) {
      throw HttpError("too_large",
                      "The response from " + host + " was larger than " +
                          std::to_string(settings.max_response_bytes / 1024) + " KiB" +
                          too_large_tail,
                      t.status);
    }
    if (r->idle) {
      throw HttpError(
          "idle_timeout",
          host + " sent nothing for " + seconds_text(settings.idle_timeout) + "; gave up waiting.",
          t.status);
    }
    const bool ok = t.status >= 200 && t.status < 300;
    if (r->code != CURLE_OK && (ok || t.status == 0)) {
      throw curl_error(host, r->code, r->errbuf, settings, t.status != 0);
    }
    if (ok) return r;
    if (retriable(t.status) && attempt <= settings.max_retries && !t.body_used) {
      auto delay = retry_after_delay(t.retry_after);
      if (delay.count() < 0) delay = settings.retry_base_delay * (1LL << std::min(attempt - 1, 20));
      delay = std::min(delay, settings.max_retry_delay);
      std::mutex m;
      std::condition_variable_any cv;
      std::unique_lock lock(m);
      if (cv.wait_for(lock, stop, delay, [] { return false; }) || stop.stop_requested())
        throw Cancelled();
      continue;
    }
    // An HTML error page (a proxy's 502, say) says more in its title than in its markup.
    const Json body =
        is_page_type(t.content_type) ? Json(page_title(t.collected)) : parse_body(t.collected);
    throw status_error(host, t.status, body, attempt);
  }
}

}  // namespace

HttpStreamInfo post_streaming(const HttpRequest& request, const HttpSettings& settings,
                              std::stop_token stop,
                              const std::function<void(std::string_view)>& on_body) {
  int attempt = 0;
  const auto r = perform_until_answered(request, settings, stop, on_body, /*post=*/true,
                                        "; it was cut off there.", attempt);
  const Transfer& t = r->transfer;
  const std::string host = url_host(request.url);
  if (!t.streaming && !is_json_type(t.content_type)) throw not_a_stream(host, t);
  if (!t.streaming) {
    // 2xx but JSON: a server that ignored stream:true, or that reports an error this way.
    const Json body = parse_body(t.collected);
    if (body.is_object() && body.contains("error") && !body["error"].is_null()) {
      throw HttpError("provider_error",
                      host + " reported an error: " + provider_message(body) + ".", t.status, body);
    }
    // The document goes along: an adapter that knows the shape decodes the answer in it.
    throw HttpError("not_streaming",
                    host +
                        " answered with a whole JSON document instead of a stream of events; "
                        "is this an OpenAI-compatible chat completions endpoint?",
                    t.status, body);
  }
  return HttpStreamInfo{t.status, t.content_type, attempt};
}

Json get_json(const HttpRequest& request, const HttpSettings& settings, std::stop_token stop) {
  const std::function<void(std::string_view)> no_stream = [](std::string_view) {};
  int attempt = 0;
  const auto r =
      perform_until_answered(request, settings, stop, no_stream, /*post=*/false, ".", attempt);
  const Transfer& t = r->transfer;
  // A JSON body sent as text/plain still counts; a web page does not.
  Json body = is_page_type(t.content_type) ? Json(Json::value_t::discarded)
                                           : Json::parse(t.collected, nullptr, false);
  if (!body.is_discarded()) return body;
  std::string what = "something that is not JSON";
  if (is_page_type(t.content_type)) {
    const std::string title = page_title(t.collected);
    what = "a web page" + (title.empty() ? std::string() : " (\"" + title + "\")");
  }
  throw HttpError("invalid_json",
                  url_host(request.url) + " answered with " + what +
                      ". Check the base URL: it should point at the model's API.",
                  t.status);
}

}  // namespace aui
