// The trainer server's connections: an httplib::Server whose sockets are read and
// written by one poll loop, so a client that is slow to send or to read costs a file
// descriptor and a buffer, never a worker thread. Workers only run handlers, on
// requests that have arrived whole.
#pragma once
#include <chrono>
#include <cstddef>
#include <string>

#include <httplib.h>

namespace trainer {

struct ConnectionLimits {
  std::size_t max_connections = 256;        // open at once; beyond, 503 with Retry-After and close
  std::size_t max_refusing = 64;            // 503s being written at once; beyond, closed unanswered
  std::size_t workers = 4;                  // threads running handlers
  std::chrono::milliseconds idle{5000};     // for the first byte of a request, new or kept alive
  std::chrono::milliseconds request{5000};  // from that byte to the end of the body; then 408
  std::chrono::milliseconds write{10000};   // to send one answer; then the connection is closed
  std::chrono::milliseconds linger{1000};   // reading what a client still sends after the last answer
  std::size_t max_requests = 100;           // per connection, then "Connection: close"
  std::size_t max_header = 16 * 1024;       // request line and headers; beyond, 431
  std::size_t max_body = 64 * 1024;         // Content-Length; beyond, 400
};

class GuardedServer : public httplib::Server {
 public:
  explicit GuardedServer(ConnectionLimits limits);
  ~GuardedServer() override;
  GuardedServer(const GuardedServer&) = delete;
  GuardedServer& operator=(const GuardedServer&) = delete;

  const ConnectionLimits& limits() const { return limits_; }

  // The library listens with a backlog of 5; a burst of clients would wait for SYN
  // retransmits. Call after bind_to_port / bind_to_any_port.
  void widen_backlog();

 protected:
  // The library's accept loop hands each socket here, on its own thread; it is taken
  // over by the poll loop (or refused) and this returns at once.
  bool process_and_close_socket(socket_t sock) override;

 private:
  class Loop;
  friend class Loop;
  // Runs one request that arrived whole; returns the bytes of the answer.
  std::string handle(socket_t sock, const std::string& request, bool last, bool& keep_alive);

  ConnectionLimits limits_;
  Loop* loop_ = nullptr;  // while listening; owned by httplib's accept loop
};

}  // namespace trainer
