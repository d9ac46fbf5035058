#include "sim/output.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "sim/error.h"

namespace sim {

namespace fs = std::filesystem;

std::string read_text_file(const fs::path& file, std::size_t max_bytes, const std::string& what) {
  std::error_code ec;
  const auto st = fs::status(file, ec);
  if (ec || !fs::exists(st))
    throw InputError(file.string() + ": " + what + " not found" +
                     (ec && ec != std::errc::no_such_file_or_directory ? " (" + ec.message() + ")" : "") +
                     ". Check the path.");
  if (!fs::is_regular_file(st))
    throw InputError(file.string() + ": " + what +
                     " is not a regular file (a folder, pipe or device). Give a text file.");
  const auto size = fs::file_size(file, ec);
  if (!ec && size > max_bytes)
    throw InputError(file.string() + ": " + what + " is " + std::to_string(size) + " bytes, more than the " +
                     std::to_string(max_bytes) + " a " + what + " may have. Check that this is the right file.");
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw InputError(file.string() + ": " + what + " cannot be read (" + std::strerror(errno) +
                     "). Check its permissions.");
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) throw InputError(file.string() + ": " + what + " cannot be read (" + std::strerror(errno) + ").");
  std::string text = buf.str();
  if (text.size() > max_bytes)
    throw InputError(file.string() + ": " + what + " is larger than the " + std::to_string(max_bytes) + " bytes a " +
                     what + " may have.");
  return text;
}

void check_output_path(const fs::path& out, const std::string& example, const std::vector<fs::path>& inputs,
                       bool replace) {
  const std::string name = shorten(out.string(), 200);
  if (out.empty()) throw InputError("the output file name is empty. Give one, e.g. -o " + example + ".");
  std::error_code ec;
  for (const auto& part : out)
    if (part.string().size() > 255)
      throw InputError(name + ": a name in this path is longer than 255 characters. Choose a shorter output name.");
  const auto st = fs::status(out, ec);
  if (ec && ec != std::errc::no_such_file_or_directory)
    throw InputError(name + ": cannot be used as an output file: " + ec.message() + ". Choose another path.");
  if (fs::is_directory(st))
    throw InputError(name + ": is a folder. Give a file name, e.g. -o " + (out / example).string() + ".");
  const fs::path dir = out.has_parent_path() ? out.parent_path() : fs::path(".");
  if (!fs::is_directory(dir, ec))
    throw InputError(name + ": the folder '" + shorten(dir.string(), 200) +
                     "' does not exist. Create it or choose another output path with -o.");
  if (fs::exists(st) && !fs::is_regular_file(st))
    throw InputError(name +
                     ": exists and is not a regular file (a pipe, device or socket), which would be "
                     "replaced. Choose a regular file name.");
  for (const auto& in : inputs) {
    if (in.empty()) continue;
    if (fs::exists(st) && fs::equivalent(out, in, ec))
      throw InputError(name + ": is an input of this command (" + shorten(in.string(), 200) +
                       "), which would be overwritten. Choose another output file.");
  }
  if (fs::exists(st) && !replace)
    throw InputError(name + ": already exists. Add --force to replace it, or choose another output file.");
}

void remove_stale_temporaries(const fs::path& out) {
  const fs::path dir = out.has_parent_path() ? out.parent_path() : fs::path(".");
  const std::string prefix = out.filename().string() + ".tmp-";
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string f = it->path().filename().string();
    if (f.size() <= prefix.size() || f.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string digits = f.substr(prefix.size());
    if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 9) continue;
    const auto pid = static_cast<pid_t>(std::stol(digits));
    if (pid == ::getpid() || ::kill(pid, 0) == 0 || errno != ESRCH) continue;  // still running
    std::error_code rm;
    if (fs::remove(it->path(), rm))
      std::fprintf(stderr, "berdaya: removed %s, left by an earlier run that was killed while writing\n",
                   it->path().c_str());
  }
}

void write_text_atomically(const fs::path& out, const std::string& text) {
  fs::path tmp = out;
  tmp += ".tmp-" + std::to_string(::getpid());
  std::ofstream s(tmp, std::ios::binary);
  s << text;
  s.close();
  std::error_code ec;
  if (s) fs::rename(tmp, out, ec);
  if (!s || ec) {
    const std::string why = ec ? ec.message() : std::strerror(errno);
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw OutputError(shorten(out.string(), 200) + ": cannot be written (" + why +
                      "). Free some disk space or check the permissions.");
  }
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return q + "\"";
}

}  // namespace sim
