// Peak resident memory of this process so far (VmHWM), in bytes.
#pragma once
#include <fstream>
#include <string>

namespace bench {
inline long long peak_rss() {
  std::ifstream in("/proc/self/status");
  std::string key;
  long long kb = 0;
  while (in >> key) {
    if (key == "VmHWM:") {
      in >> kb;
      return kb * 1024;
    }
    in.ignore(1 << 16, '\n');
  }
  return 0;
}
}  // namespace bench
