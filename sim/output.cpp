#include "sim/output.h"

#include <unistd.h>

#include <fstream>

#include "sim/error.h"

namespace sim {

namespace fs = std::filesystem;

void check_output_path(const fs::path& out, const std::string& example) {
  if (fs::is_directory(out))
    throw InputError(out.string() + ": is a folder. Give a file name, e.g. -o " + (out / example).string() + ".");
  const fs::path dir = out.has_parent_path() ? out.parent_path() : fs::path(".");
  if (!fs::is_directory(dir))
    throw InputError(out.string() + ": the folder '" + dir.string() +
                     "' does not exist. Create it or choose another output path with -o.");
}

void write_text_atomically(const fs::path& out, const std::string& text) {
  fs::path tmp = out;
  tmp += ".tmp-" + std::to_string(::getpid());
  std::ofstream s(tmp, std::ios::binary);
  s << text;
  s.close();
  if (!s) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw InputError(out.string() + ": cannot be written (disk full or no permission?).");
  }
  fs::rename(tmp, out);
}

}  // namespace sim
