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
  bool body_used = false;  // on_body has been called
  bool too_large = false;
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

std::size_t on_write(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t len = size * n;
  t->last_activity = Clock::now();
  if (!t->status_known) {
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &t->status);
    t->status_known = true;
    const bool ok = t->status >= 200 && t->status < 300;
    t->streaming = ok && t->content_type.find("json") == std::string::npos;
  }
  t->received += len;
  if (t->received > t->max_bytes) {
    t->too_large = true;
    return 0;  // ends the transfer with CURLE_WRITE_ERROR
  }
  if (!t->streaming) {
    const bool ok = t->status >= 200 && t->status < 300;
    const std::size_t limit = ok ? t->max_bytes : kMaxErrorBody;
    if (t->collected.size() < limit)
      t->collected.append(data, std::min(len, limit - t->collected.size()));
    return len;
  }
  try {
    t->body_used = true;
    (*t->on_body)(std::string_view(data, len));
  } catch (...) {
    // Never let an exception cross curl's C frames; it is rethrown once the transfer is down.
    t->error = std::current_exception();
    return 0;
  }
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
             const std::function<void(std::string_view)>& on_body, AttemptResult& r) {
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
  t.last_activity = Clock::now();

  CURL* e = c.easy;
  curl_easy_setopt(e, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(e, CURLOPT_POST, 1L);
  curl_easy_setopt(e, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
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
  if (cancelled) throw Cancelled();
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(c.multi, &left)) {
    if (msg->msg == CURLMSG_DONE) r.code = msg->data.result;
  }
  if (!t.status_known) {
    // No body byte came: still tell an empty stream from an empty JSON answer.
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &t.status);
    t.streaming =
        t.status >= 200 && t.status < 300 && t.content_type.find("json") == std::string::npos;
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

HttpStreamInfo post_streaming(const HttpRequest& request, const HttpSettings& settings,
                              std::stop_token stop,
                              const std::function<void(std::string_view)>& on_body) {
  init_curl_once();
  const std::string host = url_host(request.url);
  for (int attempt = 1;; ++attempt) {
    auto r = std::make_unique<AttemptResult>();
    perform(request, settings, stop, on_body, *r);
    Transfer& t = r->transfer;
    if (t.error) std::rethrow_exception(t.error);
    if (t.too_large) {
      throw HttpError("too_large",
                      "The response from " + host + " was larger than " +
                          std::to_string(settings.max_response_bytes / 1024) +
                          " KiB; it was cut off there.",
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
    if (!ok) {
      if (retriable(t.status) && attempt <= settings.max_retries && !t.body_used) {
        auto delay = retry_after_delay(t.retry_after);
        if (delay.count() < 0)
          delay = settings.retry_base_delay * (1LL << std::min(attempt - 1, 20));
        delay = std::min(delay, settings.max_retry_delay);
        std::mutex m;
        std::condition_variable_any cv;
        std::unique_lock lock(m);
        if (cv.wait_for(lock, stop, delay, [] { return false; }) || stop.stop_requested())
          throw Cancelled();
        continue;
      }
      throw status_error(host, t.status, parse_body(t.collected), attempt);
    }
    if (!t.streaming) {
      // 2xx but JSON: a server that ignored stream:true, or that reports an error this way.
      const Json body = parse_body(t.collected);
      if (body.is_object() && body.contains("error") && !body["error"].is_null()) {
        throw HttpError("provider_error",
                        host + " reported an error: " + provider_message(body) + ".", t.status,
                        body);
      }
      throw HttpError("not_streaming",
                      host +
                          " answered with a whole JSON document instead of a stream of events; "
                          "is this an OpenAI-compatible chat completions endpoint?",
                      t.status);
    }
    return HttpStreamInfo{t.status, t.content_type, attempt};
  }
}

}  // namespace aui
