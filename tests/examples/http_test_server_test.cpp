// The HTTP test server itself: what later adapter tests (SSE streaming) rely on.

#include "support/http_test_server.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>

namespace {

using aui::testing::HttpTestServer;

// A bare client on a socket, to see exactly what arrives and when.
class RawClient {
 public:
  explicit RawClient(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawClient() { ::close(fd_); }
  bool connected() const { return connected_; }
  void send(std::string_view bytes) {
    ASSERT_EQ(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL), ssize_t(bytes.size()));
  }
  // Reads until `text` has arrived (true) or the server closed (false).
  bool read_until(std::string_view text) {
    while (received.find(text) == std::string::npos) {
      char buf[1024];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return false;
      received.append(buf, static_cast<std::size_t>(n));
    }
    return true;
  }
  std::string received;

 private:
  int fd_;
  bool connected_ = false;
};

TEST(HttpTestServer, AStreamingHandlerSendsEachPieceAsItIsWritten) {
  std::mutex mutex;
  std::condition_variable cv;
  bool go = false;
  HttpTestServer server([&](const HttpTestServer::Request& req, HttpTestServer::Connection& conn) {
    EXPECT_EQ(req.path, "/events?x=1");
    conn.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: one\n\n");
    std::unique_lock lock(mutex);
    cv.wait(lock, [&] { return go; });
    conn.write("data: two\n\n");
    conn.close();
    EXPECT_FALSE(conn.write("late")) << "writes after close() fail";
  });
  RawClient client(server.port());
  ASSERT_TRUE(client.connected());
  client.send("GET /events?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  ASSERT_TRUE(client.read_until("data: one\n\n"));
  EXPECT_EQ(client.received.find("data: two"), std::string::npos)
      << "the second piece came before it was written";
  {
    std::lock_guard lock(mutex);
    go = true;
  }
  cv.notify_all();
  ASSERT_TRUE(client.read_until("data: two\n\n"));
  EXPECT_FALSE(client.read_until("never")) << "close() ends the stream";
}

size_t collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

TEST(HttpTestServer, ReceivesHeadersAndLargeBodiesAndAnswersWithExtraHeaders) {
  HttpTestServer server([](const HttpTestServer::Request& req) {
    HttpTestServer::Response res{201, "text/plain", std::to_string(req.body.size())};
    res.headers.emplace_back("X-Seen",
                             req.headers.count("x-custom") ? req.headers.at("x-custom") : "none");
    return res;
  });
  const std::string body(2 * 1024 * 1024,
                         'a');  // large enough for curl to send Expect: 100-continue
  std::string response;
  std::string headers;
  CURL* curl = curl_easy_init();
  curl_slist* list = curl_slist_append(nullptr, "X-Custom:  value with spaces ");
  curl_easy_setopt(curl, CURLOPT_URL, server.url("/upload").c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl, CURLOPT_EXPECT_100_TIMEOUT_MS,
                   60000L);  // only a real 100 Continue lets it go on
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &headers);
  const CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  ASSERT_EQ(rc, CURLE_OK) << curl_easy_strerror(rc);
  EXPECT_EQ(status, 201);
  EXPECT_EQ(response, std::to_string(body.size()));
  EXPECT_NE(headers.find("X-Seen: value with spaces\r\n"), std::string::npos) << headers;
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].body, body);
  EXPECT_EQ(requests[0].headers.count("expect"), 1u)
      << "curl did not ask for 100-continue: that path went untested";
}

TEST(HttpTestServer, AThrowingHandlerAnswers500) {
  HttpTestServer server([](const HttpTestServer::Request&) -> HttpTestServer::Response {
    throw std::runtime_error("handler broke");
  });
  RawClient client(server.port());
  ASSERT_TRUE(client.connected());
  client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_FALSE(client.read_until("never"));
  EXPECT_EQ(client.received.rfind("HTTP/1.1 500 ", 0), 0u) << client.received;
  EXPECT_NE(client.received.find("\r\n\r\nhandler broke"), std::string::npos) << client.received;
}

TEST(HttpTestServer, ShutsDownWithAnIdleClientConnected) {
  auto server = std::make_unique<HttpTestServer>(
      [](const HttpTestServer::Request&) { return HttpTestServer::Response{}; });
  RawClient idle(server->port());  // connects, never sends a request
  ASSERT_TRUE(idle.connected());
  RawClient other(server->port());
  other.send("GET / HTTP/1.1\r\n\r\n");
  ASSERT_TRUE(other.read_until("\r\n\r\n"));  // the server has accepted both by now
  server.reset();                             // returns: the idle connection does not hold it up
  EXPECT_FALSE(idle.read_until("never"));
}

}  // namespace
