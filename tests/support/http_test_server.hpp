#pragma once
// A real HTTP/1.1 server on 127.0.0.1 for tests of code that talks HTTP (adapters, examples).

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace aui::testing {

class HttpTestServer {
 public:
  struct Request {
    std::string method;
    std::string path;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
  };
  struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
  };
  /// The connection a streaming handler writes its response body to, in pieces.
  class Connection {
   public:
    explicit Connection(int fd) : fd_(fd) {}
    /// Writes raw bytes; false once the client has gone.
    bool write(std::string_view bytes);

   private:
    int fd_;
  };
  using Handler = std::function<Response(const Request&)>;
  /// Writes its own status line and headers through the connection, then the body.
  using StreamHandler = std::function<void(const Request&, Connection&)>;

  explicit HttpTestServer(Handler handler);
  explicit HttpTestServer(StreamHandler handler);
  ~HttpTestServer();  // stops accepting, waits for handlers to return
  HttpTestServer(const HttpTestServer&) = delete;
  HttpTestServer& operator=(const HttpTestServer&) = delete;

  int port() const noexcept { return port_; }
  std::string url(std::string_view path = "/") const;
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
  std::vector<Request> requests_;
};

}  // namespace aui::testing
