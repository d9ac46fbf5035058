#include "sim/spool.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "sim/error.h"
#include "sim/random.h"

namespace sim {

namespace {

constexpr char MAGIC[8] = {'B', 'D', 'S', 'P', 'O', 'O', 'L', '1'};

std::uint64_t checksum(const char* data, std::size_t n) {
  std::uint64_t h = 0x243f6a8885a308d3ULL ^ n;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, data + i, 8);
    h = combine(h, w);
  }
  std::uint64_t tail = 0;
  std::memcpy(&tail, data + i, n - i);
  return combine(h, tail);
}

void write_all(int fd, const char* data, std::size_t n, const std::filesystem::path& path) {
  while (n > 0) {
    const ssize_t w = ::write(fd, data, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      throw OutputError(path.string() + ": cannot write the spool of finished runs: " + std::strerror(errno) +
                        ". Free some disk space; the runs already written are kept, and --resume continues");
    }
    data += w;
    n -= static_cast<std::size_t>(w);
  }
}

// A record's error-message length sits at a fixed place (see encode in record.cpp).
bool is_failure(const char* bytes, std::size_t n) {
  std::uint64_t len = 0;
  if (n < 28) return false;
  std::memcpy(&len, bytes + 20, sizeof len);
  return len != 0;
}

bool read_at(int fd, char* data, std::size_t n, std::uint64_t offset) {
  while (n > 0) {
    const ssize_t r = ::pread(fd, data, n, static_cast<off_t>(offset));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    data += r;
    n -= static_cast<std::size_t>(r);
    offset += static_cast<std::uint64_t>(r);
  }
  return true;
}

std::string header(const std::string& fingerprint) {
  std::string h(MAGIC, sizeof MAGIC);
  const std::uint64_t n = fingerprint.size();
  h.append(reinterpret_cast<const char*>(&n), sizeof n);
  h += fingerprint;
  const std::uint64_t sum = checksum(fingerprint.data(), fingerprint.size());
  h.append(reinterpret_cast<const char*>(&sum), sizeof sum);
  return h;
}

}  // namespace

Spool Spool::create(const std::filesystem::path& path, const std::string& fingerprint) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    throw InputError(path.string() + ": cannot create the spool of finished runs (" + std::strerror(errno) +
                     "). Check that the output folder is writable.");
  Spool s(path, fd);
  const std::string h = header(fingerprint);
  write_all(fd, h.data(), h.size(), path);
  s.end_ = h.size();
  return s;
}

Spool Spool::resume(const std::filesystem::path& path, const std::string& fingerprint) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0)
    throw InputError(path.string() + ": no spool of an interrupted run to resume (" + std::strerror(errno) +
                     "). Run without --resume to start afresh.");
  Spool s(path, fd);
  const std::string expect = header(fingerprint);
  std::string got(expect.size(), '\0');
  if (!read_at(fd, got.data(), got.size(), 0) || got != expect)
    throw InputError(path.string() +
                     ": this spool belongs to a different experiment (other file, settings, seed, replicates or "
                     "berdaya version). Run the experiment that wrote it, or delete the spool to start afresh.");
  std::uint64_t pos = expect.size();
  std::vector<char> buf;
  for (;;) {
    std::uint64_t head[3];  // length, checksum, task
    if (!read_at(fd, reinterpret_cast<char*>(head), sizeof head, pos)) break;
    const std::uint64_t len = head[0];
    if (len > (1ULL << 36)) break;
    buf.resize(len);
    if (!read_at(fd, buf.data(), len, pos + sizeof head)) break;
    if (checksum(buf.data(), len) != head[1]) break;
    s.index_[head[2]] = Entry{pos + sizeof head, len, is_failure(buf.data(), len)};
    pos += sizeof head + len;
  }
  // Drop a torn tail so new records follow the last whole one.
  if (::ftruncate(fd, static_cast<off_t>(pos)) != 0)
    throw std::runtime_error(path.string() + ": cannot truncate the spool: " + std::strerror(errno));
  if (::lseek(fd, static_cast<off_t>(pos), SEEK_SET) < 0)
    throw std::runtime_error(path.string() + ": cannot seek in the spool: " + std::strerror(errno));
  s.end_ = pos;
  return s;
}

Spool::Spool(Spool&& o) noexcept : path_(std::move(o.path_)), fd_(o.fd_), end_(o.end_), index_(std::move(o.index_)) {
  o.fd_ = -1;
}

Spool::~Spool() {
  if (fd_ >= 0) ::close(fd_);
}

void Spool::append(std::uint64_t task, const RunRecord& r) { append_encoded(task, encode(task, r)); }

void Spool::append_encoded(std::uint64_t task, const std::string& bytes) {
  const std::uint64_t head[3] = {bytes.size(), checksum(bytes.data(), bytes.size()), task};
  // One write per record keeps a record whole unless the machine itself goes down.
  std::string rec(reinterpret_cast<const char*>(head), sizeof head);
  rec += bytes;
  write_all(fd_, rec.data(), rec.size(), path_);
  index_[task] = Entry{end_ + sizeof head, bytes.size(), is_failure(bytes.data(), bytes.size())};
  end_ += rec.size();
}

RunRecord Spool::read(std::uint64_t task) const {
  const auto it = index_.find(task);
  if (it == index_.end())
    throw std::runtime_error(path_.string() + ": run " + std::to_string(task) + " is not in the spool");
  std::string bytes(it->second.length, '\0');
  if (!read_at(fd_, bytes.data(), bytes.size(), it->second.offset))
    throw std::runtime_error(path_.string() + ": cannot read run " + std::to_string(task));
  std::uint64_t got = 0;
  RunRecord r = decode(bytes, got);
  if (got != task) throw std::runtime_error(path_.string() + ": spool index damaged");
  return r;
}

std::size_t Spool::failed() const {
  std::size_t n = 0;
  for (const auto& [task, e] : index_) n += e.failed;
  return n;
}

void Spool::sync() {
  if (fd_ >= 0) ::fdatasync(fd_);
}

}  // namespace sim
