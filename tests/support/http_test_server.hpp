#pragma once
// A real HTTP/1.1 server on 127.0.0.1 for tests of code that talks HTTP (adapters, examples).

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace aui::testing {

/// Listens on an ephemeral port of 127.0.0.1 from construction to destruction, on its own accept
/// thread; each connection is served on a thread of its own and carries one request (the server
/// answers with `Connection: close` and closes it). Request bodies must come with Content-Length;
/// `Expect: 100-continue` is honoured.
class HttpTestServer {
 public:
  struct Request {
    std::string method;
    std::string path;                            // as sent, query string included
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
  };
  struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body{};
    std::vector<std::pair<std::string, std::string>> headers{};  // more headers, sent as given
  };
  /// The connection a streaming handler writes its response to, in pieces (status line and
  /// headers included), e.g. for server-sent events.
  class Connection {
   public:
    explicit Connection(int fd) : fd_(fd) {}
    /// Writes raw bytes; false once the client has gone or close() was called.
    bool write(std::string_view bytes);
    /// Ends the response: the client sees the end of the stream. Later writes fail.
    void close();
    /// Waits until the client has closed its end (true), or `timeout` passed (false). Request
    /// bytes the client still sends are discarded.
    bool wait_for_client_close(std::chrono::milliseconds timeout);

   private:
    int fd_;
    bool closed_ = false;
  };
  using Handler = std::function<Response(const Request&)>;
  using StreamHandler = std::function<void(const Request&, Connection&)>;

  /// A handler that returns the whole response. If it throws, the client gets a 500 whose body
  /// is the exception's text.
  explicit HttpTestServer(Handler handler);
  /// A handler that writes the response itself through the connection.
  explicit HttpTestServer(StreamHandler handler);
  /// Stops accepting, ends connections still waiting for a request, and waits for every handler
  /// to return (a handler that blocks must be released first).
  ~HttpTestServer();
  HttpTestServer(const HttpTestServer&) = delete;
  HttpTestServer& operator=(const HttpTestServer&) = delete;

  int port() const noexcept { return port_; }
  std::string url(std::string_view path = "/") const;
  /// The requests received so far, in order.
  std::vector<Request> requests() const;

 private:
  void start();
  void accept_loop();
  void serve(int fd);

  Handler handler_;
  StreamHandler stream_handler_;
  int listen_fd_ = -1;
  int wake_pipe_[2] = {-1, -1};
  int port_ = 0;
  std::thread acceptor_;
  mutable std::mutex mutex_;
  std::vector<std::thread> workers_;
  std::set<int> open_fds_;  // connections not closed yet
  bool stopping_ = false;
  std::vector<Request> requests_;
};

}  // namespace aui::testing
