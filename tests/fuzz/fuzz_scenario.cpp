// libFuzzer target: any bytes as a scenario file. The loader and the model's parameter
// checks must either accept them or throw InputError with a message; anything else (a
// crash, another exception, a sanitizer report) is a bug.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "models/kube/model.h"
#include "models/kube/params.h"
#include "models/kube/population.h"
#include "sim/config.h"
#include "sim/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  // extends and village files resolve against a folder that does not exist.
  const std::filesystem::path dir = "/nonexistent-berdaya-fuzz";
  try {
    const sim::Resolved r = sim::load_scenario_text(text, "fuzz.toml", dir, kube::param_table());
    const kube::Params p = kube::make_params(r, dir);
    static_cast<void>(sim::resolved_toml(r, kube::param_table()));
    if (p.population_village_file.empty() && p.population_villages <= 1000) static_cast<void>(kube::labels(p));
  } catch (const sim::InputError& e) {
    if (std::string(e.what()).empty()) __builtin_trap();  // a message, always
  }
  return 0;
}
