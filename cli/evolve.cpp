#include "cli/evolve.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>

#include "cli/commands.h"
#include "sim/error.h"

namespace cli {

namespace fs = std::filesystem;

namespace {

// Where the module may be: BERDAYA_EVOLVE_MODULE when set; the build tree's for a program of
// this build tree (the executable, a test program or the Python module); else beside the
// installed executable, at the place relative to it that installing gave it.
std::vector<fs::path> module_places() {
  constexpr const char* NAME = "libberdaya_evolve.so";
  if (const char* env = std::getenv("BERDAYA_EVOLVE_MODULE"); env && *env) return {env};
  std::vector<fs::path> places;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  Dl_info info{};
  const fs::path self = dladdr(reinterpret_cast<void*>(&evolve), &info) && info.dli_fname && info.dli_fname[0] == '/'
                            ? fs::path(info.dli_fname)
                            : exe;
  if ((!ec && is_inside(exe, BERDAYA_BUILD_DIR)) || is_inside(self, BERDAYA_BUILD_DIR))
    places.push_back(fs::path(BERDAYA_BUILD_DIR) / "cli" / NAME);
  if (!ec) places.push_back((exe.parent_path() / BERDAYA_LIB_FROM_BIN / NAME).lexically_normal());
  return places;
}

using Entry = void (*)(const EvolveJob&);

Entry load() {
  static std::mutex mutex;
  static Entry entry = nullptr;
  std::lock_guard lock(mutex);
  if (entry) return entry;
  std::string tried;
  for (const auto& place : module_places()) {
    // The module stays loaded for the life of the process.
    if (void* handle = dlopen(place.c_str(), RTLD_NOW | RTLD_LOCAL)) {
      if (void* symbol = dlsym(handle, "berdaya_evolve")) {
        entry = reinterpret_cast<Entry>(symbol);
        return entry;
      }
      tried += "\n  " + place.string() + ": no berdaya_evolve in it";
      continue;
    }
    const char* why = dlerror();
    tried += "\n  " + place.string() + ": " + (why ? why : "cannot be loaded");
  }
  throw sim::InputError(
      "berdaya optimize needs its search module, libberdaya_evolve.so, and it cannot be loaded:" + tried +
      "\nReinstall berdaya (cmake --install, or its Debian package), or set BERDAYA_EVOLVE_MODULE to the module's "
      "path.");
}

}  // namespace

void evolve(const EvolveJob& job) { load()(job); }

}  // namespace cli
