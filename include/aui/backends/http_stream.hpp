#pragma once
// The HTTP transport of the built-in backends: one streaming POST on libcurl's multi interface,
// cancellable at once through a std::stop_token.

#include <chrono>
#include <cstddef>
#include <functional>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aui/model/json.hpp"

namespace aui {

/// How a backend talks HTTP. Every delay is a setting, so tests can make them short.
struct HttpSettings {
  /// Giving up on establishing the connection (TCP and TLS).
  std::chrono::milliseconds connect_timeout{15'000};
  /// Giving up when the server sends nothing at all for this long (headers or body bytes). A
  /// model may think for a while before its first token, so this is generous by default.
  std::chrono::milliseconds idle_timeout{120'000};
  /// The response cap: a response body larger than this many bytes (as received, SSE framing
  /// and JSON included) ends the transfer as an error with code "too_large", keeping the text
  /// received so far. A server gone haywire must not eat the memory. The text held is somewhat
  /// less than the body; memory for a streamed reply stays close to that text (it grows in
  /// place; no copy of the body is kept beside it), so this bounds what one reply costs.
  /// Default 64 MiB; raise it for very long outputs, lower it on a small device.
  std::size_t max_response_bytes = std::size_t{64} << 20;
  /// Retries of a request answered 429, 500, 502, 503, 504 or 529 before any of its body was
  /// used; never once content has arrived.
  int max_retries = 2;
  /// The first retry waits this long (or what Retry-After says), each next one twice as long.
  std::chrono::milliseconds retry_base_delay{1'000};
  /// No wait is longer than this, whatever Retry-After says.
  std::chrono::milliseconds max_retry_delay{20'000};
  /// TLS peer and host verification. Switch off only for a local server with a self-signed
  /// certificate you trust.
  bool verify_tls = true;
  /// A CA bundle file instead of the system's, if set.
  std::string ca_file{};
};

/// One request. Header values may hold secrets (an API key): they are sent, never reported.
struct HttpRequest {
  std::string url{};
  std::vector<std::pair<std::string, std::string>> headers{};
  std::string body{};
};

/// A failed request, with a message a user understands (it names the host, never the key) and a
/// stable code: "connection_refused", "dns", "tls", "connect_timeout", "idle_timeout",
/// "too_large", "http_error", "rate_limited", "network", "not_streaming", ...
class HttpError : public std::runtime_error {
 public:
  HttpError(std::string code, const std::string& message, long http_status = 0, Json detail = {});
  const std::string& code() const noexcept { return code_; }
  /// The HTTP status when the server answered one, else 0.
  long http_status() const noexcept { return http_status_; }
  /// The provider's error body (JSON as sent, or its text), null when none.
  const Json& detail() const noexcept { return detail_; }
  /// The AssistantError stored on the message: {code, message[, status][, detail]}.
  Json to_assistant_error() const;

 private:
  std::string code_;
  long http_status_;
  Json detail_;
};

/// What a finished transfer reports.
struct HttpStreamInfo {
  long http_status = 0;
  std::string content_type{};
  /// Requests sent, retries included.
  int attempts = 0;
};

/// POSTs `request` and hands every slice of a successful (2xx) response body to `on_body` as it
/// arrives, on the calling thread. Returns once the server ended the body.
///
///  * `stop` fires: the transfer ends within milliseconds, even while the server sends nothing
///    (curl_multi_poll is woken by curl_multi_wakeup) → throws aui::Cancelled.
///  * An exception from `on_body` ends the transfer and propagates.
///  * Failures throw HttpError: connection refused, DNS, TLS, timeouts, a body over the limit, and
///    a non-2xx status (its body, up to 64 KiB, is read for the provider's message). 429 and 5xx
///    statuses are retried (see HttpSettings) because nothing of them reached `on_body`.
///  * A 2xx answer that is JSON instead of a stream is read whole: a provider error in it throws
///    HttpError with that message, anything else HttpError("not_streaming") whose detail() is
///    the document (a server that ignored `stream: true`: the caller may decode the answer).
///  * A 2xx answer that is a web page or another type that is not an event stream (a captive
///    portal, a login proxy, a wrong base URL) throws HttpError("not_streaming") saying so, with
///    the page's title. text/plain whose first line is an SSE field is read as a stream.
///  * A non-2xx web page is reported by its title, not its markup.
HttpStreamInfo post_streaming(const HttpRequest& request, const HttpSettings& settings,
                              std::stop_token stop,
                              const std::function<void(std::string_view)>& on_body);

/// GETs `request.url` (its body is ignored) and returns the JSON document the server answered
/// with. Failures and cancellation as for post_streaming (retries of 429/5xx included); a 2xx
/// answer that is not JSON (a web page, say) throws HttpError("invalid_json") saying so.
Json get_json(const HttpRequest& request, const HttpSettings& settings, std::stop_token stop);

/// The host (and port, if given) of `url`, for messages: "api.openai.com", "127.0.0.1:8080".
std::string url_host(std::string_view url);

/// `text` with every occurrence of `secret` replaced by "[redacted]" (nothing when `secret` is
/// empty). Used on every message that leaves a backend.
std::string redact(std::string text, std::string_view secret);

}  // namespace aui
