#include "trainer/connections.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <iostream>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "trainer/api.h"

namespace trainer {

namespace {

using Clock = std::chrono::steady_clock;

const char* reason(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 408: return "Request Timeout";
    case 411: return "Length Required";
    case 431: return "Request Header Fields Too Large";
    case 503: return "Service Unavailable";
    default: return "Error";
  }
}

// A whole answer with a JSON error, for refusals made before a request reaches httplib.
std::string answer(int status, const std::string& message, bool retry_after = false) {
  const std::string body = error_json(message);
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason(status) + "\r\n";
  out += "Content-Type: application/json; charset=utf-8\r\n";
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  out += "Cache-Control: no-store\r\nConnection: close\r\n";
  if (retry_after) out += "Retry-After: 1\r\n";
  out += "\r\n" + body;
  return out;
}

std::string seconds(std::chrono::milliseconds d) {
  const auto ms = d.count();
  return ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Where one request ends in the bytes received so far. The framing is this layer's, so
// httplib is only ever given one whole request and never waits on the socket.
struct Frame {
  enum Kind { Incomplete, Complete, Refuse } kind = Incomplete;
  std::size_t length = 0;      // Complete: request line, headers and body
  bool send_continue = false;  // Incomplete: the client waits for "100 Continue"
  int status = 0;              // Refuse
  std::string message;
};

// What is known of the request being received, so each new byte costs only a look at
// the new bytes.
struct Framing {
  std::size_t scanned = 0;  // no end of headers before this offset
  std::size_t end = 0;      // end of the headers, once found (0: not yet)
  std::size_t body = 0;     // Content-Length, once the headers are in
};

Frame refuse(int status, std::string message) {
  Frame f;
  f.kind = Frame::Refuse;
  f.status = status;
  f.message = std::move(message);
  return f;
}

// The headers httplib would act on for framing: Content-Length (digits only, one value),
// Transfer-Encoding (refused) and Expect: 100-continue (answered here, then removed so
// httplib does not answer it again).
Frame parse_headers(std::string& in, const ConnectionLimits& lim, Framing& st, std::size_t end) {
  std::optional<unsigned long long> length;
  std::vector<std::pair<std::size_t, std::size_t>> expect_lines;  // [begin, end) to remove
  for (auto pos = in.find('\n') + 1; pos < end;) {
    const auto nl = in.find('\n', pos);
    const std::string_view line(in.data() + pos, nl - pos);
    const auto colon = line.find(':');
    if (colon != std::string_view::npos) {
      const auto name = trim(line.substr(0, colon));
      const auto value = trim(line.substr(colon + 1));
      if (iequals(name, "Content-Length")) {
        if (value.empty() || value.size() > 18 ||
            !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
          return refuse(400, "Content-Length '" + clip(std::string(value), 40) +
                                 "' is not a number of bytes. Send the body's length in bytes.");
        const auto n = std::stoull(std::string(value));
        if (length && *length != n) return refuse(400, "the request has two different Content-Length headers. Send one.");
        length = n;
      } else if (iequals(name, "Transfer-Encoding")) {
        return refuse(411, "a body sent in chunks (Transfer-Encoding) is not accepted. Send it whole, with a "
                           "Content-Length header.");
      } else if (iequals(name, "Expect") && iequals(value, "100-continue")) {
        expect_lines.emplace_back(pos, nl + 1);
      }
    }
    pos = nl + 1;
  }
  const auto body = length.value_or(0);
  if (body > lim.max_body) return refuse(400, body_too_large_message());
  for (auto it = expect_lines.rbegin(); it != expect_lines.rend(); ++it) {
    in.erase(it->first, it->second - it->first);
    end -= it->second - it->first;
  }
  st.end = end;
  st.body = static_cast<std::size_t>(body);
  Frame f;
  f.send_continue = !expect_lines.empty() && body > 0 && in.size() < end + body;
  return f;
}

Frame frame_request(std::string& in, const ConnectionLimits& lim, Framing& st) {
  Frame f;
  if (st.end == 0) {
    if (st.scanned == 0) {
      // Empty lines before a request line are allowed (RFC 9112, 2.2).
      const auto lead = in.find_first_not_of("\r\n");
      in.erase(0, lead == std::string::npos ? in.size() : lead);
      if (in.empty()) return f;
    }
    // The blank line that ends the headers: "\r\n\r\n", or "\n\n" from a sloppy client
    // (which httplib then answers with 400).
    std::size_t end = 0;
    for (auto nl = in.find('\n', st.scanned); nl != std::string::npos && nl < lim.max_header;
         nl = in.find('\n', nl + 1)) {
      if ((nl >= 1 && in[nl - 1] == '\n') || (nl >= 2 && in[nl - 1] == '\r' && in[nl - 2] == '\n')) {
        end = nl + 1;
        break;
      }
    }
    if (end == 0) {
      st.scanned = std::min(in.size(), lim.max_header);
      if (in.size() < lim.max_header) return f;
      return refuse(431, "the request line and headers are longer than " + std::to_string(lim.max_header) +
                             " bytes. Send a plain request with a few short headers.");
    }
    f = parse_headers(in, lim, st, end);
    if (f.kind == Frame::Refuse) return f;
  }
  if (in.size() < st.end + st.body) return f;
  f.kind = Frame::Complete;
  f.length = st.end + st.body;
  st = {};
  return f;
}

// One request as httplib reads it: the bytes framed above, then end of input; the answer
// is collected and sent by the poll loop.
class RequestStream : public httplib::Stream {
 public:
  RequestStream(socket_t sock, const std::string& request) : sock_(sock), in_(request) {}

  bool is_readable() const override { return off_ < in_.size(); }
  bool is_writable() const override { return true; }
  ssize_t read(char* ptr, size_t size) override {
    const auto n = std::min(size, in_.size() - off_);
    std::memcpy(ptr, in_.data() + off_, n);
    off_ += n;
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, size_t size) override {
    out_.append(ptr, size);
    return static_cast<ssize_t>(size);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override { address(true, ip, port); }
  void get_local_ip_and_port(std::string& ip, int& port) const override { address(false, ip, port); }
  socket_t socket() const override { return sock_; }

  std::string take() { return std::move(out_); }

 private:
  void address(bool peer, std::string& ip, int& port) const {
    sockaddr_storage addr{};
    socklen_t len = sizeof(addr);
    auto* sa = reinterpret_cast<sockaddr*>(&addr);
    if ((peer ? getpeername(sock_, sa, &len) : getsockname(sock_, sa, &len)) != 0) return;
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    if (getnameinfo(sa, len, host, sizeof(host), serv, sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV) != 0) return;
    ip = host;
    port = std::atoi(serv);
  }

  socket_t sock_;
  const std::string& in_;
  std::size_t off_ = 0;
  std::string out_;
};

}  // namespace

// The task queue httplib's accept loop hands sockets to: a poll loop that reads and writes
// every connection, and a few workers that run whole requests.
class GuardedServer::Loop : public httplib::TaskQueue {
 public:
  explicit Loop(GuardedServer& server) : server_(server), lim_(server.limits_) {
    wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wake_fd_ < 0) throw std::runtime_error(std::string("eventfd: ") + std::strerror(errno));
    server_.loop_ = this;
    poller_ = std::thread([this] { run(); });
    for (std::size_t i = 0; i < std::max<std::size_t>(1, lim_.workers); ++i)
      workers_.emplace_back([this] { work(); });
  }
  ~Loop() override {
    shutdown();
    server_.loop_ = nullptr;
    close(wake_fd_);
  }

  // The accept loop calls each task at once: it only hands the socket over.
  void enqueue(std::function<void()> fn) override { fn(); }

  void shutdown() override {
    if (stop_.exchange(true)) return;
    wake();
    work_cv_.notify_all();
    for (auto& t : workers_) t.join();
    poller_.join();
    for (const auto& c : conns_) close(c.first);
    conns_.clear();
    for (const auto& c : incoming_) close(c.first);
    incoming_.clear();
  }

  void admit(int fd) {
    if (stop_) {
      close(fd);
      return;
    }
    bool refused = false;
    if (open_ >= lim_.max_connections) {
      if (refusing_ >= lim_.max_refusing) {
        close(fd);  // too many even to refuse politely
        return;
      }
      ++refusing_;
      refused = true;
    } else {
      ++open_;
    }
    {
      std::lock_guard<std::mutex> lock(incoming_mutex_);
      incoming_.emplace_back(fd, refused);
    }
    wake();
  }

 private:
  enum class Phase { Reading, Working, Writing, Closing };
  struct Conn {
    int fd = -1;
    bool refused = false;
    Phase phase = Phase::Reading;
    std::string in;       // received, not yet framed into a request
    std::string request;  // Working: the request being run
    std::string out;      // Writing: the answer
    std::size_t out_off = 0;
    Clock::time_point deadline;
    bool started = false;  // Reading: a byte of the next request has arrived
    bool eof = false;      // the client has finished sending
    bool close_after = false;
    std::size_t served = 0;
    Framing framing;
  };

  void wake() {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(wake_fd_, &one, sizeof(one));
  }

  void start_reading(Conn& c, Clock::time_point now) {
    c.phase = Phase::Reading;
    c.out.clear();
    c.out_off = 0;
    c.started = false;
    c.deadline = now + lim_.idle;
    frame(c, now);
  }

  void start_writing(Conn& c, std::string out, bool close_after, Clock::time_point now) {
    c.phase = Phase::Writing;
    c.out = std::move(out);
    c.out_off = 0;
    c.close_after = close_after;
    c.deadline = now + lim_.write;
  }

  void frame(Conn& c, Clock::time_point now) {
    if (c.phase != Phase::Reading) return;
    if (!c.started && !c.in.empty()) {
      c.started = true;
      c.deadline = now + lim_.request;
    }
    Frame f = frame_request(c.in, lim_, c.framing);
    switch (f.kind) {
      case Frame::Refuse:
        c.in.clear();
        start_writing(c, answer(f.status, f.message), true, now);
        return;
      case Frame::Incomplete:
        if (f.send_continue) {
          static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
          if (send(c.fd, cont, sizeof(cont) - 1, MSG_NOSIGNAL) != static_cast<ssize_t>(sizeof(cont) - 1))
            c.eof = true;  // a fresh socket that cannot take 25 bytes: give up on it
        }
        if (c.eof) c.deadline = now;  // closed at the next pass
        return;
      case Frame::Complete:
        c.request = c.in.substr(0, f.length);
        c.in.erase(0, f.length);
        c.phase = Phase::Working;
        {
          std::lock_guard<std::mutex> lock(work_mutex_);
          todo_.push_back(&c);
        }
        work_cv_.notify_one();
        return;
    }
  }

  // Reads what is there; false when the connection is to be closed now.
  // While Reading, framing keeps what is held below the cap: a request that would not
  // fit has been refused by then. While Closing, bytes are dropped, a few reads a pass.
  bool read_some(Conn& c, Clock::time_point now) {
    char buf[16384];
    const auto cap = lim_.max_header + lim_.max_body + sizeof(buf);
    for (int reads = 0; c.phase == Phase::Closing ? reads < 16 : c.in.size() < cap; ++reads) {
      const auto n = recv(c.fd, buf, sizeof(buf), 0);
      if (n > 0) {
        if (c.phase != Phase::Closing) c.in.append(buf, static_cast<std::size_t>(n));
        continue;
      }
      if (n == 0) {
        c.eof = true;
        break;
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      return false;
    }
    if (c.phase == Phase::Closing) return !c.eof;
    frame(c, now);
    // Gone before sending a whole request: nothing to answer.
    return !(c.eof && c.phase == Phase::Reading);
  }

  // Writes what the socket takes; false when the connection is to be closed now.
  bool write_some(Conn& c, Clock::time_point now) {
    while (c.out_off < c.out.size()) {
      const auto n = send(c.fd, c.out.data() + c.out_off, c.out.size() - c.out_off, MSG_NOSIGNAL);
      if (n >= 0) {
        c.out_off += static_cast<std::size_t>(n);
        continue;
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return true;
      return false;
    }
    if (c.close_after || c.eof) {
      // Closing gently: stop sending, read what still comes, so the answer is not lost
      // to a reset.
      ::shutdown(c.fd, SHUT_WR);
      c.phase = Phase::Closing;
      c.in.clear();
      c.out.clear();
      c.deadline = now + lim_.linger;
      return true;
    }
    start_reading(c, now);
    return true;
  }

  // When its time is up: false to close the connection now.
  bool expire(Conn& c, Clock::time_point now) {
    if (c.phase == Phase::Reading && c.started && !c.eof) {
      start_writing(c,
                    answer(408, "the request did not arrive whole within " + seconds(lim_.request) +
                                    ". Send the request line, headers and body at once."),
                    true, now);
      return true;
    }
    return false;
  }

  void close_conn(std::unordered_map<int, std::unique_ptr<Conn>>::iterator it) {
    const Conn& c = *it->second;
    close(c.fd);
    if (c.refused) --refusing_;
    else --open_;
    conns_.erase(it);
  }

  // Sockets the accept thread handed over: a refused one gets its 503 and a short linger,
  // the others wait for a request.
  void take_incoming(Clock::time_point now) {
    std::vector<std::pair<int, bool>> fresh;
    {
      std::lock_guard<std::mutex> lock(incoming_mutex_);
      fresh.swap(incoming_);
    }
    for (const auto& [fd, refused] : fresh) {
      fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
      auto c = std::make_unique<Conn>();
      c->fd = fd;
      c->refused = refused;
      if (refused) {
        start_writing(*c,
                      answer(503,
                             "the server has " + std::to_string(lim_.max_connections) +
                                 " connections open, its limit. Try again in a moment.",
                             true),
                      true, now);
        c->deadline = now + lim_.linger;
      } else {
        c->phase = Phase::Reading;
        c->deadline = now + lim_.idle;
      }
      conns_[fd] = std::move(c);
    }
  }

  // Requests the workers have answered: their answers start going out.
  void take_finished(Clock::time_point now) {
    std::vector<Conn*> finished;
    {
      std::lock_guard<std::mutex> lock(done_mutex_);
      finished.swap(done_);
    }
    for (Conn* c : finished) {
      const bool nothing = c->out.empty();
      start_writing(*c, std::move(c->out), c->close_after || nothing, now);
      if (nothing) c->deadline = now;  // nothing to answer: closed below
    }
  }

  // The sockets to wait on (the wake-up first, `which` naming each one's connection, -1
  // for it), after closing the connections whose time is up; returns the poll timeout in
  // milliseconds to the next deadline, -1 for none.
  int poll_set(std::vector<pollfd>& fds, std::vector<int>& which, Clock::time_point now) {
    fds.clear();
    which.clear();
    fds.push_back({wake_fd_, POLLIN, 0});
    which.push_back(-1);
    auto next = Clock::time_point::max();
    for (auto it = conns_.begin(); it != conns_.end();) {
      Conn& c = *it->second;
      if (c.phase == Phase::Working) {
        ++it;
        continue;
      }
      if (now >= c.deadline && !expire(c, now)) {
        close_conn(it++);
        continue;
      }
      next = std::min(next, c.deadline);
      fds.push_back({c.fd, static_cast<short>(c.phase == Phase::Writing ? POLLOUT : POLLIN), 0});
      which.push_back(c.fd);
      ++it;
    }
    if (next == Clock::time_point::max()) return -1;
    return static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count() + 1);
  }

  // Reads or writes on each connection poll found ready, closing those that are done.
  void serve_ready(const std::vector<pollfd>& fds, const std::vector<int>& which, Clock::time_point now) {
    for (std::size_t i = 1; i < fds.size(); ++i) {
      if (!fds[i].revents) continue;
      const auto it = conns_.find(which[i]);
      if (it == conns_.end()) continue;
      Conn& c = *it->second;
      bool keep = true;
      if (c.phase == Phase::Writing) keep = write_some(c, now);
      else if (c.phase == Phase::Reading || c.phase == Phase::Closing) keep = read_some(c, now);
      if (!keep) close_conn(it);
    }
  }

  // The poll thread: takes in new sockets and finished answers, waits for the sockets or
  // the next deadline, then serves what is ready.
  void run() {
    std::vector<pollfd> fds;
    std::vector<int> which;
    while (!stop_) {
      auto now = Clock::now();
      take_incoming(now);
      take_finished(now);
      const int timeout = poll_set(fds, which, now);
      if (poll(fds.data(), fds.size(), timeout) < 0 && errno != EINTR) {
        std::cerr << "berdaya serve: poll: " << std::strerror(errno) << "\n";
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        continue;
      }
      if (fds[0].revents) {
        std::uint64_t n;
        [[maybe_unused]] const auto r = ::read(wake_fd_, &n, sizeof(n));
      }
      serve_ready(fds, which, Clock::now());
    }
  }

  void work() {
    for (;;) {
      Conn* c = nullptr;
      {
        std::unique_lock<std::mutex> lock(work_mutex_);
        work_cv_.wait(lock, [&] { return stop_ || !todo_.empty(); });
        if (stop_) return;
        c = todo_.front();
        todo_.pop_front();
      }
      const bool last = c->served + 1 >= lim_.max_requests || c->eof;
      bool keep_alive = false;
      std::string out;
      try {
        out = server_.handle(c->fd, c->request, last, keep_alive);
      } catch (const std::exception& e) {
        std::cerr << "berdaya serve: a request failed: " << e.what() << "\n";
        out = answer(400, std::string("the request could not be handled (") + e.what() + ").");
        keep_alive = false;
      } catch (...) {
        out = answer(400, "the request could not be handled.");
        keep_alive = false;
      }
      c->request.clear();
      c->out = std::move(out);
      c->close_after = !keep_alive;
      ++c->served;
      {
        std::lock_guard<std::mutex> lock(done_mutex_);
        done_.push_back(c);
      }
      wake();
    }
  }

  GuardedServer& server_;
  const ConnectionLimits& lim_;
  int wake_fd_ = -1;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> open_{0}, refusing_{0};

  std::mutex incoming_mutex_;
  std::vector<std::pair<int, bool>> incoming_;  // accepted sockets, and whether refused
  std::mutex work_mutex_;
  std::condition_variable work_cv_;
  std::deque<Conn*> todo_;
  std::mutex done_mutex_;
  std::vector<Conn*> done_;
  std::unordered_map<int, std::unique_ptr<Conn>> conns_;  // the poll thread's alone

  std::thread poller_;
  std::vector<std::thread> workers_;
};

GuardedServer::GuardedServer(ConnectionLimits limits) : limits_(limits) {
  // Every socket the poll loop holds must stay below FD_SETSIZE, which httplib checks.
  if (limits_.max_connections + limits_.max_refusing + 64 >= FD_SETSIZE)
    throw std::invalid_argument("connection limits above FD_SETSIZE");
  new_task_queue = [this] { return new Loop(*this); };
  set_keep_alive_max_count(limits_.max_requests);
  set_keep_alive_timeout(std::chrono::duration_cast<std::chrono::seconds>(limits_.idle).count());
}

GuardedServer::~GuardedServer() = default;

void GuardedServer::widen_backlog() {
  if (svr_sock_ != INVALID_SOCKET) ::listen(svr_sock_, 128);
}

bool GuardedServer::process_and_close_socket(socket_t sock) {
  if (loop_) loop_->admit(sock);
  else close(sock);
  return true;
}

std::string GuardedServer::handle(socket_t sock, const std::string& request, bool last, bool& keep_alive) {
  RequestStream strm(sock, request);
  bool closed = false;
  const bool ok = process_request(strm, last, closed, nullptr);
  keep_alive = ok && !closed && !last;
  return strm.take();
}

}  // namespace trainer
