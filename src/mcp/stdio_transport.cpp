// The stdio transport (stdio_transport.hpp): one I/O thread per server polls the child's
// standard output and error, writes its standard input, and watches for the stop request.

#include "aui/mcp/stdio_transport.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

#include "aui/mcp/json_rpc.hpp"
#include "framing.hpp"

extern char** environ;

namespace aui::mcp {

namespace {

constexpr std::size_t kStderrLineMax = 2000;
constexpr std::size_t kStderrTail = 5;

std::string errno_text(int e) { return std::strerror(e); }

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

bool is_executable_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// The command's path: as given when it names a path, else the first match on PATH.
std::string resolve_command(const std::string& command, const std::string& path_variable) {
  if (command.find('/') != std::string::npos) return command;
  std::size_t start = 0;
  while (start <= path_variable.size()) {
    auto end = path_variable.find(':', start);
    if (end == std::string::npos) end = path_variable.size();
    std::string dir = path_variable.substr(start, end - start);
    if (dir.empty()) dir = ".";
    std::string candidate = dir + "/" + command;
    if (is_executable_file(candidate)) return candidate;
    start = end + 1;
  }
  return {};
}

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const char* name = sigabbrev_np(WTERMSIG(status));
    return std::string("was killed by signal ") + (name ? std::string("SIG") + name : "") + " (" +
           std::to_string(WTERMSIG(status)) + ")";
  }
  return "ended";
}

int open_pidfd(pid_t pid) {
#ifdef SYS_pidfd_open
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
#else
  (void)pid;
  return -1;
#endif
}

class StdioTransport final : public McpTransport {
 public:
  explicit StdioTransport(StdioServerParams params) : params_(std::move(params)) {}
  ~StdioTransport() override { close(); }

  std::string describe() const override {
    std::string out;
    for (const auto& a : params_.argv) {
      if (!out.empty()) out += ' ';
      out += a;
    }
    return out;
  }

  void start(Handlers handlers) override {
    // Held throughout, so a close() meanwhile waits and then stops what was started.
    std::lock_guard lock(mutex_);
    if (closing_) throw McpError(rpc_code::ConnectionClosed, "the connection was closed");
    handlers_ = std::move(handlers);
    if (params_.argv.empty() || params_.argv[0].empty())
      throw McpError(rpc_code::ConnectionClosed, "no command is configured for the server");

    // The environment: ours, with the configured variables set over it.
    std::vector<std::string> env_strings;
    std::string path_variable;
    for (char** e = environ; e && *e; ++e) {
      std::string entry(*e);
      const auto eq = entry.find('=');
      const std::string key = entry.substr(0, eq);
      if (params_.env.count(key)) continue;
      if (key == "PATH") path_variable = entry.substr(eq + 1);
      env_strings.push_back(std::move(entry));
    }
    for (const auto& [key, value] : params_.env) {
      if (key == "PATH") path_variable = value;
      env_strings.push_back(key + "=" + value);
    }
    std::vector<char*> envp;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);

    const std::string path = resolve_command(params_.argv[0], path_variable);
    if (path.empty())
      throw McpError(rpc_code::ConnectionClosed,
                     "cannot start \"" + params_.argv[0] + "\": the command was not found on PATH");
    if (!params_.cwd.empty()) {
      struct stat st {};
      if (::stat(params_.cwd.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        throw McpError(rpc_code::ConnectionClosed, "cannot start \"" + params_.argv[0] +
                                                       "\": its working directory " + params_.cwd +
                                                       " does not exist");
    }

    int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
    auto close_all = [&] {
      for (int* p : {in, out, err}) {
        close_fd(p[0]);
        close_fd(p[1]);
      }
    };
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0 ||
        ::pipe2(err, O_CLOEXEC) != 0) {
      const int e = errno;
      close_all();
      throw McpError(rpc_code::ConnectionClosed, "cannot create pipes: " + errno_text(e));
    }

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    if (!params_.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, params_.cwd.c_str());
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    sigset_t defaults;
    sigemptyset(&defaults);
    for (int s : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM})
      sigaddset(&defaults, s);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(
        &attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
    std::vector<char*> argv;
    std::vector<std::string> args = params_.argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, path.c_str(), &actions, &attr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    close_fd(in[0]);
    close_fd(out[1]);
    close_fd(err[1]);
    if (rc != 0) {
      close_all();
      throw McpError(rpc_code::ConnectionClosed,
                     "cannot start \"" + params_.argv[0] + "\": " + errno_text(rc));
    }
    pid_ = pid;
    pidfd_ = open_pidfd(pid);
    in_fd_ = in[1];
    out_fd_ = out[0];
    err_fd_ = err[0];
    for (int fd : {in_fd_, out_fd_, err_fd_})
      ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    started_ = true;
    io_ = std::thread([this] { run(); });
  }

  void send(const Json& message) override {
    std::string line = message.dump(-1, ' ', false, Json::error_handler_t::replace);
    line += '\n';
    {
      std::lock_guard lock(mutex_);
      if (!started_ || closing_ || input_broken_)
        throw McpError(rpc_code::ConnectionClosed, "the server is not running");
      if (pending_.size() + line.size() > params_.max_pending_bytes)
        throw McpError(rpc_code::TransportError, "the server is not reading its input (" +
                                                     detail::describe_size(pending_.size()) +
                                                     " are waiting)");
      pending_ += line;
    }
    wake();
  }

  void close() override {
    {
      std::lock_guard lock(mutex_);
      if (closing_ || !started_) {
        closing_ = true;
        return;
      }
      closing_ = true;
    }
    wake();
    if (io_.joinable()) io_.join();
    close_fd(in_fd_);  // the server sees the end of its input: the polite way to stop it
    if (!reaped_) stop_child();
    close_fd(out_fd_);
    close_fd(err_fd_);
    close_fd(wake_fd_);
    close_fd(pidfd_);
  }

 private:
  void wake() {
    if (wake_fd_ >= 0) {
      const std::uint64_t one = 1;
      [[maybe_unused]] auto n = ::write(wake_fd_, &one, sizeof one);
    }
  }

  void log(const std::string& line) {
    if (handlers_.on_log) handlers_.on_log(line);
  }

  // Waits up to `timeout` for the child to exit; reaps it if it did.
  bool wait_exit(std::chrono::milliseconds timeout) {
    if (reaped_) return true;
    if (pidfd_ >= 0) {
      pollfd p{pidfd_, POLLIN, 0};
      int rc;
      do {
        rc = ::poll(&p, 1, static_cast<int>(timeout.count()));
      } while (rc < 0 && errno == EINTR);
    } else {
      // No pidfd (an old kernel): poll the status in short steps.
      const auto end = std::chrono::steady_clock::now() + timeout;
      while (std::chrono::steady_clock::now() < end) {
        if (try_reap()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
    return try_reap();
  }

  bool try_reap() {
    if (reaped_) return true;
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_ || (r < 0 && errno == ECHILD)) {
      reaped_ = true;
      status_ = r == pid_ ? status : -1;
      return true;
    }
    return false;
  }

  void stop_child() {
    if (wait_exit(params_.exit_grace)) return;
    ::kill(-pid_, SIGTERM);
    ::kill(pid_, SIGTERM);
    if (wait_exit(params_.term_grace)) return;
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
  }

  void on_stderr(std::string_view bytes) {
    for (char c : bytes) {
      if (c == '\n') {
        flush_stderr_line();
      } else if (err_line_.size() < kStderrLineMax) {
        err_line_ += c;
      } else {
        err_truncated_ = true;
      }
    }
  }
  void flush_stderr_line() {
    if (!err_line_.empty() && err_line_.back() == '\r') err_line_.pop_back();
    if (!err_line_.empty()) {
      std::string line = detail::excerpt(err_line_, kStderrLineMax);
      if (err_truncated_) line += " …";
      log("stderr: " + line);
      std::lock_guard lock(mutex_);
      err_tail_.push_back(line);
      if (err_tail_.size() > kStderrTail) err_tail_.pop_front();
    }
    err_line_.clear();
    err_truncated_ = false;
  }

  void deliver(std::string_view line) {
    detail::parse_messages(
        line, [this](Json m) { handlers_.on_message(std::move(m)); },
        [this](const std::string& why) { log(why); });
  }

  void oversized(std::string_view head, std::string_view tail, std::size_t size) {
    const std::string why = "the server sent a message of " + detail::describe_size(size) +
                            ", more than the " + detail::describe_size(params_.max_message_bytes) +
                            " allowed; it was dropped";
    log(why);
    if (auto id = detail::find_id_hint(head, tail))
      handlers_.on_message(make_error(*id, rpc_code::MessageTooLarge, why));
  }

  // Why the server went away, for the user: its exit and the last thing it said.
  std::string ended_reason() {
    std::string why = "the server closed its output";
    if (wait_exit(std::chrono::milliseconds(1'000)) && status_ >= 0)
      why = "the server " + describe_status(status_);
    std::lock_guard lock(mutex_);
    if (!err_tail_.empty()) why += " (it said: " + err_tail_.back() + ")";
    return why;
  }

  void run() {
    // A server that exits while we write must not kill us with SIGPIPE: this thread is the only
    // one that writes to it, and it blocks the signal (EPIPE is reported instead).
    sigset_t pipe_signal;
    sigemptyset(&pipe_signal);
    sigaddset(&pipe_signal, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);

    detail::LineSplitter lines(
        params_.max_message_bytes, [this](std::string_view line) { deliver(line); },
        [this](std::string_view head, std::string_view tail, std::size_t size) {
          oversized(head, tail, size);
        });
    std::string writing;  // taken from pending_, being written
    std::size_t written = 0;
    std::vector<char> buffer(64 * 1024);
    bool out_open = true;
    bool err_open = true;
    for (;;) {
      bool want_write = false;
      {
        std::lock_guard lock(mutex_);
        if (closing_) break;
        if (written == writing.size() && !pending_.empty() && !input_broken_) {
          writing.swap(pending_);
          pending_.clear();
          written = 0;
        }
        want_write = written < writing.size() && !input_broken_;
      }
      pollfd fds[4];
      nfds_t n = 0;
      fds[n++] = {wake_fd_, POLLIN, 0};
      const int out_index = out_open ? static_cast<int>(n) : -1;
      if (out_open) fds[n++] = {out_fd_, POLLIN, 0};
      const int err_index = err_open ? static_cast<int>(n) : -1;
      if (err_open) fds[n++] = {err_fd_, POLLIN, 0};
      const int in_index = want_write ? static_cast<int>(n) : -1;
      if (want_write) fds[n++] = {in_fd_, POLLOUT, 0};
      const int rc = ::poll(fds, n, -1);
      if (rc < 0) {
        if (errno == EINTR) continue;
        break;
      }
      if (fds[0].revents) {
        std::uint64_t v;
        while (::read(wake_fd_, &v, sizeof v) > 0) {
        }
      }
      if (in_index >= 0 && fds[in_index].revents) {
        const ssize_t w = ::write(in_fd_, writing.data() + written, writing.size() - written);
        if (w > 0) {
          written += static_cast<std::size_t>(w);
          if (written == writing.size()) {
            writing.clear();
            written = 0;
          }
        } else if (w < 0 && errno != EAGAIN && errno != EINTR) {
          std::lock_guard lock(mutex_);
          input_broken_ = true;  // the server stopped reading; its output tells the rest
        }
      }
      if (err_index >= 0 && fds[err_index].revents) {
        const ssize_t r = ::read(err_fd_, buffer.data(), buffer.size());
        if (r > 0) {
          on_stderr(std::string_view(buffer.data(), static_cast<std::size_t>(r)));
        } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
          flush_stderr_line();
          err_open = false;
        }
      }
      if (out_index >= 0 && fds[out_index].revents) {
        const ssize_t r = ::read(out_fd_, buffer.data(), buffer.size());
        if (r > 0) {
          lines.feed(std::string_view(buffer.data(), static_cast<std::size_t>(r)));
        } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
          lines.finish();
          out_open = false;
        }
      }
      if (!out_open) {
        // What is left on standard error explains the end.
        for (;;) {
          const ssize_t r = ::read(err_fd_, buffer.data(), buffer.size());
          if (r <= 0) break;
          on_stderr(std::string_view(buffer.data(), static_cast<std::size_t>(r)));
        }
        flush_stderr_line();
        const std::string why = ended_reason();
        {
          std::lock_guard lock(mutex_);
          input_broken_ = true;
          if (closing_) return;
        }
        if (handlers_.on_closed) handlers_.on_closed(why);
        return;
      }
    }
  }

  StdioServerParams params_;
  Handlers handlers_;
  std::mutex mutex_;
  std::string pending_;
  bool started_ = false;
  bool closing_ = false;
  bool input_broken_ = false;
  std::deque<std::string> err_tail_;
  std::string err_line_;
  bool err_truncated_ = false;
  pid_t pid_ = -1;
  int pidfd_ = -1;
  int in_fd_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  int wake_fd_ = -1;
  bool reaped_ = false;
  int status_ = -1;
  std::thread io_;
};

}  // namespace

std::unique_ptr<McpTransport> make_stdio_transport(StdioServerParams params) {
  return std::make_unique<StdioTransport>(std::move(params));
}

}  // namespace aui::mcp
