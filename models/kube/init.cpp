// berdaya init for KUBE: from a village file (kecamatan, village, households), a folder of
// scenario files for that area. The baseline sets the area; the levers are the shipped
// scenarios/ files, extending the new baseline instead of Kota Batu's; an experiment
// compares them; with a budget, an optimization file searches within it.
#include "models/kube/init.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <set>
#include <sstream>

#include "models/kube/params.h"
#include "models/kube/population.h"
#include "sim/error.h"
#include "sim/output.h"
#include "sim/params.h"

namespace kube {

namespace fs = std::filesystem;

namespace {

// The shipped lever scenarios the experiment compares, in its order after the baseline.
const char* const LEVERS[] = {"no-program",      "socialization", "training", "monitoring",
                              "recommendations", "mentors",       "labels",   "combined"};

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw sim::InputError(p.string() + ": cannot be read (the shipped scenarios of this berdaya).");
  std::ostringstream o;
  o << in.rdbuf();
  return o.str();
}

std::string quoted(const std::string& s) {
  std::string q = "\"";
  for (char ch : s) q += (ch == '"' || ch == '\\') ? std::string("\\") + ch : std::string(1, ch);
  return q + "\"";
}

}  // namespace

int init_area(const sim::Model::InitOptions& o, const fs::path& shipped) {
  const std::string name = o.name.empty() ? o.dir.filename().string() : o.name;
  if (!std::regex_match(name, std::regex("[a-z0-9][a-z0-9-]*")))
    throw sim::InputError("--name " + name + ": use lowercase letters, digits and '-' (it names the files), e.g. " +
                          "--name kota-malang.");
  if (!fs::exists(o.villages))
    throw sim::InputError("--villages " + o.villages.string() + ": no such file. Give the CSV of the area's villages.");
  std::istringstream in(sim::read_text_file(o.villages, 64u << 20, "village file"));
  const VillageTable t = read_village_table(in, o.villages.string());
  if (t.rows.empty()) throw sim::InputError(o.villages.string() + ": no villages listed.");

  const Params defaults;
  const long long per_cohort = o.groups_per_cohort >= 0 ? o.groups_per_cohort : defaults.program_groups_per_cohort;
  const long long cohorts = o.cohorts >= 0 ? o.cohorts : defaults.program_cohorts;
  const auto households_each = static_cast<std::uint64_t>(defaults.population_households_per_village);
  std::uint64_t households = 0;
  std::set<std::string> districts;
  for (const auto& r : t.rows) {
    households += t.has_households ? r.households : households_each;
    districts.insert(r.district);
  }
  // Groups are formed from eligible households, a village at a time.
  const double eligible = static_cast<double>(households) * defaults.population_eligible_share;
  const double wanted = static_cast<double>(per_cohort * cohorts * defaults.program_group_size);
  if (wanted > eligible)
    std::cerr << "berdaya init: warning: " << per_cohort << " groups a cohort x " << cohorts << " cohorts x "
              << defaults.program_group_size << " members = " << static_cast<long long>(wanted)
              << " members, but the villages have about " << static_cast<long long>(eligible) << " eligible of "
              << households << " households (population.eligible_share = " << defaults.population_eligible_share
              << "): fewer groups will form, or with ineligible members. Lower --groups-per-cohort or --cohorts.\n";

  const std::vector<std::string> files = [&] {
    std::vector<std::string> f = {"villages.csv", name + ".toml", name + "-levers.toml"};
    for (const char* l : LEVERS) f.push_back(std::string(l) + ".toml");
    if (o.budget > 0) f.push_back(name + "-budget.toml");
    return f;
  }();
  if (!o.force)
    for (const auto& f : files)
      if (fs::exists(o.dir / f))
        throw sim::InputError((o.dir / f).string() + " exists. Pass --force to replace the files of " + o.dir.string() +
                              ", or choose another folder.");
  fs::create_directories(o.dir);

  // The villages, as berdaya reads them: comma-separated UTF-8 without a byte-order mark.
  std::string csv = std::string("kecamatan,village,kind") + (t.has_households ? ",households" : "") + "\n";
  for (const auto& r : t.rows)
    csv += sim::csv_field(r.district) + "," + sim::csv_field(r.name) + "," + sim::csv_field(r.kind) +
           (t.has_households ? "," + std::to_string(r.households) : "") + "\n";
  sim::write_text_atomically(o.dir / "villages.csv", csv);

  std::ostringstream b;
  b << "# " << name << " baseline, written by berdaya init from " << o.villages.filename().string() << ": "
    << t.rows.size() << " villages in " << districts.size() << " sub-districts, " << households
    << " DTKS households.\n# Every parameter not written here takes its default: `berdaya params` lists them.\n"
    << "name = " << quoted(name) << "\ntitle.id = " << quoted("Program sekarang (" + name + ")")
    << "\ntitle.en = " << quoted("Current program (" + name + ")") << "\ndescription.id = "
    << quoted("Program " + name + " sekarang: " + std::to_string(per_cohort * cohorts) + " kelompok dalam " +
              std::to_string(cohorts) + " angkatan tahunan, dukungan standar")
    << "\ndescription.en = "
    << quoted(name + " baseline: " + std::to_string(per_cohort * cohorts) + " groups in " + std::to_string(cohorts) +
              " yearly cohorts, standard support")
    << "\n\n[run]\nmonths = 72\nreplicates = 100\nseed = 20240101\n\n[population]\nvillage_file = \"villages.csv\"\n";
  if (!t.has_households)
    b << "households_per_village = " << households_each << "  # the same in every village: add a households column\n";
  if (o.poverty_line > 0) b << "poverty_line = " << sim::format_number(o.poverty_line) << "\n";
  b << "\n[program]\ngroups_per_cohort = " << per_cohort << "\ncohorts = " << cohorts << "\n";
  sim::write_text_atomically(o.dir / (name + ".toml"), b.str());

  // The levers: the shipped files, on this baseline.
  for (const char* l : LEVERS) {
    std::string text = read(shipped / (std::string(l) + ".toml"));
    text =
        std::regex_replace(text, std::regex("extends = \"kota-batu\\.toml\""), "extends = " + quoted(name + ".toml"));
    sim::write_text_atomically(o.dir / (std::string(l) + ".toml"), text);
  }
  // A title holds at most 120 characters: a long area name is left to the file's name.
  const std::string area = name.size() <= 60 ? name + ": " : "";
  std::ostringstream e;
  e << "# The levers of " << name << " alone and together against its baseline (berdaya init).\n"
    << "name = " << quoted(name + "-levers")
    << "\ntitle.id = " << quoted(area + "tuas program sendiri-sendiri dan bersama")
    << "\ntitle.en = " << quoted(area + "the program's levers alone and together") << "\ndescription = "
    << quoted("The case study's recommendations alone and together, more mentors, labels: " + name)
    << "\nreplicates = 100\nseed = 20240101\nmonths = 72\nbaseline = " << quoted(name)
    << "\ncounterfactual = \"no-program\"\nscenarios = [\n  " << quoted(name + ".toml") << ",\n";
  for (const char* l : LEVERS) e << "  " << quoted(std::string(l) + ".toml") << ",\n";
  e << "]\n";
  sim::write_text_atomically(o.dir / (name + "-levers.toml"), e.str());

  if (o.budget > 0) {
    // The shipped search without its comments, which speak of Kota Batu's numbers.
    std::string text =
        "# The best mixes of groups and support for " + name + " within Rp " + sim::format_number(o.budget) +
        " a year (berdaya init; docs/optimization.md explains each part).\n" +
        std::regex_replace(read(shipped / "optimization" / "kota-batu-budget.toml"), std::regex("(^|\n)#[^\n]*"), "");
    text = std::regex_replace(text, std::regex("\"\\.\\./kota-batu\\.toml\""), quoted(name + ".toml"));
    text = std::regex_replace(text, std::regex("\"\\.\\./([a-z-]+\\.toml)\""), "\"$1\"");
    text = std::regex_replace(text, std::regex("name = \"kota-batu-budget\""), "name = " + quoted(name + "-budget"));
    text = std::regex_replace(text, std::regex("description = \"[^\"\n]*\""),
                              "description = " + quoted(name +
                                                        ": groups active at 36 months and lasting income gain "
                                                        "within Rp " +
                                                        sim::format_number(o.budget) + " a year"));
    text = std::regex_replace(text, std::regex("per_year = [0-9.e+]+"), "per_year = " + sim::format_number(o.budget));
    // The number of groups a cohort searched around this area's.
    text = std::regex_replace(
        text, std::regex("(name = \"program\\.groups_per_cohort\"\\s*\\nlow = )[0-9]+(\\s*\\nhigh = )[0-9]+"),
        "$01" + std::to_string(std::max(1LL, per_cohort / 2)) + "$02" +
            std::to_string(std::max(2LL, per_cohort * 3 / 2)));
    sim::write_text_atomically(o.dir / (name + "-budget.toml"), text);
  }

  std::cout << "berdaya init: " << o.dir.string() << ": " << t.rows.size() << " villages, " << households
            << " households; " << per_cohort * cohorts << " groups in " << cohorts << " cohorts.\n"
            << "  next: berdaya compare " << (o.dir / (name + "-levers.toml")).string() << " -o " << name
            << "-levers.h5\n        berdaya report " << name << "-levers.h5\n";
  if (o.budget > 0)
    std::cout << "        berdaya optimize " << (o.dir / (name + "-budget.toml")).string() << " -o " << name
              << "-budget.h5\n";
  return 0;
}

}  // namespace kube
