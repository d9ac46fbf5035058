#include "trainer/api.h"

#include <algorithm>
#include <charconv>

#include <nlohmann/json.hpp>

#include "models/kube/params.h"
#include "models/kube/population.h"
#include "sim/error.h"

namespace trainer {

namespace {

using nlohmann::json;

constexpr int MAX_DEPTH = 16;

// Answers are written with invalid UTF-8 replaced (U+FFFD) rather than refused: a
// message that quotes a client's bytes, or a name from a data file, must never turn an
// answer into an exception.
std::string text(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json to_json(const sim::Value& v) {
  return std::visit([](const auto& x) { return json(x); }, v);
}

const char* role_name(std::uint8_t r) {
  switch (static_cast<kube::Role>(r)) {
    case kube::Role::None: return "none";
    case kube::Role::Member: return "member";
    case kube::Role::Chair: return "chair";
    case kube::Role::Secretary: return "secretary";
    case kube::Role::Treasurer: return "treasurer";
  }
  return "?";
}

// A whole number from 0 to count - 1 in a path segment, or BadRequest naming the range.
std::uint32_t index_of(const std::string& param, std::size_t count, const char* what, const char* list_hint) {
  std::uint32_t i = 0;
  const auto res = std::from_chars(param.data(), param.data() + param.size(), i);
  if (param.empty() || res.ec != std::errc() || res.ptr != param.data() + param.size() || i >= count) {
    const std::string range = count == 0 ? std::string("there are none yet") : "use 0 to " + std::to_string(count - 1);
    throw BadRequest("'" + clip(param, 40) + "' is not a " + what + " id: " + range + " (" + list_hint + ").");
  }
  return i;
}

const char* stage_name(kube::Stage s) {
  switch (s) {
    case kube::Stage::Preparing: return "preparing";
    case kube::Stage::Active: return "active";
    case kube::Stage::Inactive: return "inactive";
  }
  return "?";
}

// nlohmann's parser keeps its own stack, but a deeply nested value is still freed
// recursively; the API never needs more than two levels, so deeper input stops here.
void check_depth(const std::string& body) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : body) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > MAX_DEPTH)
        throw BadRequest("the JSON body is nested more than " + std::to_string(MAX_DEPTH) +
                         " levels deep. Send a flat object such as {\"levers\": {\"socialization.sessions\": 3}}.");
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
}

json parse_object(const std::string& body, const char* example) {
  if (body.size() > MAX_BODY)
    throw BadRequest("the request body has " + std::to_string(body.size()) + " bytes, more than the " +
                     std::to_string(MAX_BODY) + " allowed. Send only a small object such as " + example + ".");
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return json::object();
  check_depth(body);
  json j;
  try {
    j = json::parse(body);
  } catch (const json::exception& e) {
    throw BadRequest(std::string("the body is not valid JSON (") + e.what() + "). Send an object such as " + example +
                     ".");
  }
  if (!j.is_object())
    throw BadRequest(std::string("the body must be a JSON object, got ") + j.type_name() + ". Send e.g. " + example +
                     ".");
  return j;
}

void only_fields(const json& j, const std::vector<std::string>& allowed, const char* example) {
  for (const auto& [key, value] : j.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string names;
    for (const auto& a : allowed) names += (names.empty() ? "'" : ", '") + a + "'";
    throw BadRequest("unknown field '" + key + "'. This request takes " + names + ", e.g. " + example + ".");
  }
}

sim::Value to_value(const std::string& name, const json& v) {
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(INT64_MAX)) return static_cast<double>(u);
    return static_cast<long long>(u);
  }
  if (v.is_number_integer()) return v.get<long long>();
  if (v.is_number_float()) return v.get<double>();
  if (v.is_string()) return v.get<std::string>();
  throw BadRequest("lever '" + name + "' must be a number, true/false or a string, got " + v.type_name() +
                   ". Send e.g. {\"levers\": {\"" + name + "\": " +
                   sim::format_value(sim::find_spec(kube::param_table(), name)
                                         ? sim::find_spec(kube::param_table(), name)->default_value
                                         : sim::Value(1LL)) +
                   "}}.");
}

int district_of(const Session& s, const std::string& param) {
  const auto& w = s.run().world();
  const auto n = static_cast<int>(w.districts.size());
  if (param.empty()) return 0;
  int d = -1;
  const auto res = std::from_chars(param.data(), param.data() + param.size(), d);
  if (res.ec != std::errc() || res.ptr != param.data() + param.size() || d < 0 || d >= n)
    throw BadRequest("district=" + clip(param, 40) + " is not a sub-district index. Use 0 to " + std::to_string(n - 1) +
                     " (GET /api/info lists them).");
  return d;
}

json series_json(const Run& r) {
  static const std::vector<std::string> names = {
      "groups_active",     "groups_preparing", "groups_inactive", "groups_funded",   "income_members",
      "income_members_cf", "income_pool",      "income_pool_cf",  "poverty_members", "poverty_members_cf",
      "poverty_pool",      "poverty_pool_cf",  "visits",          "cost_total"};
  const auto& schema = kube::schema().series;
  json out = json::object();
  const auto& rec = r.record();
  for (const auto& name : names) {
    const auto it = std::find_if(schema.begin(), schema.end(), [&](const auto& c) { return c.name == name; });
    const auto index = static_cast<std::size_t>(it - schema.begin());
    json values = json::array();
    // NaN (no members yet) becomes null, which the charts leave as a gap.
    for (int m = 0; m < r.months_done(); ++m)
      values.push_back(rec.series[index * static_cast<std::size_t>(rec.months) + static_cast<std::size_t>(m)]);
    out[name] = std::move(values);
  }
  return out;
}

}  // namespace

std::string error_json(const std::string& message) { return text(json{{"error", message}}); }

std::string clip(const std::string& s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

std::string body_too_large_message() {
  return "the request body is larger than " + std::to_string(MAX_BODY) +
         " bytes. Send only a small object such as {\"levers\": {\"socialization.sessions\": 3}}.";
}

std::string info_json(const Session& s) {
  const auto& w = s.run().world();
  const auto& table = kube::param_table();
  json levers = json::array();
  for (const auto& l : trainer::levers()) {
    const auto* spec = sim::find_spec(table, l.name);
    json j = {{"name", l.name},
              {"kind", sim::kind_name(spec->kind)},
              {"scenario", to_json(s.scenario_value(l.name))},
              {"unit", spec->unit},
              {"description", spec->description}};
    if (spec->kind == sim::Kind::Choice) {
      j["options"] = spec->options;
    } else {
      j["min"] = spec->min;
      j["max"] = spec->max;
      j["ui_min"] = l.ui_min;
      j["ui_max"] = l.ui_max;
      j["ui_step"] = l.ui_step;
    }
    levers.push_back(std::move(j));
  }
  json villages = json::array();
  for (const auto& v : w.villages) villages.push_back({{"name", v.name}, {"district", v.district_id}});
  return text({{"scenario", s.scenario_name()},
               {"title", {{"id", s.scenario_title().in("id")}, {"en", s.scenario_title().in("en")}}},
               {"seed", s.seed()},
               {"months", s.run().months_total()},
               {"districts", w.districts},
               {"villages", villages},
               {"levers", levers}});
}

std::string map_json(const Session& s, const std::string& district_param) {
  const int d = district_of(s, district_param);
  const auto& w = s.run().world();
  json villages = json::array();
  for (std::size_t i = 0; i < w.villages.size(); ++i) {
    const auto& v = w.villages[i];
    if (static_cast<int>(v.district_id) != d) continue;
    villages.push_back({{"index", i}, {"name", v.name}, {"first", v.first}, {"count", v.count}});
  }
  // Each tie once, between households both in the sub-district.
  json ties = json::array();
  for (const auto& v : villages) {
    const auto first = v["first"].get<std::uint32_t>(), count = v["count"].get<std::uint32_t>();
    for (std::uint32_t h = first; h < first + count; ++h)
      kube::for_each_tie(w, h, [&](std::uint32_t nb, float) {
        if (nb > h && static_cast<int>(w.villages[kube::village_of(w, nb)].district_id) == d) ties.push_back({h, nb});
      });
  }
  return text(
      {{"district", d}, {"name", w.districts[static_cast<std::size_t>(d)]}, {"villages", villages}, {"ties", ties}});
}

std::string state_json(const Session& s, const std::string& district_param) {
  const int d = district_of(s, district_param);
  const auto& run = s.run();
  const auto& w = run.world();
  const int last = run.months_done() - 1;  // the month just stepped
  json groups = json::array();
  json visits = json::array();
  for (const auto& g : w.groups) {
    json j = {{"id", g.id},
              {"name", group_name(g.id)},
              {"village", g.village},
              {"business", kube::business_name(g.type)},
              {"stage", stage_name(g.stage)},
              {"cause", kube::cause_name(g.cause)},
              {"members", g.members},
              {"size_formed", g.size_formed},
              {"mentor", g.mentor},
              {"at_risk", g.flagged_at >= 0 && g.stage != kube::Stage::Inactive},
              {"need", g.need_since >= 0},
              {"label", g.label},
              {"permit", g.permit},
              {"capital", g.capital},
              {"cohesion", g.cohesion},
              {"formed", g.formed},
              {"funded", g.funded},
              {"failed", g.failed}};
    if (static_cast<int>(w.villages[g.village].district_id) == d) {
      json ever = json::array(), now = json::array();
      for (auto i = g.member_begin; i < g.member_end; ++i) ever.push_back(w.members[i]);
      kube::for_each_member(w, g, [&](std::uint32_t h) { now.push_back(h); });
      j["ever"] = std::move(ever);
      j["current"] = std::move(now);
    }
    if (last >= 0 && g.last_visit == last) visits.push_back({{"mentor", g.mentor}, {"group", g.id}});
    groups.push_back(std::move(j));
  }
  json events = json::array();
  for (const auto& e : run.events())
    events.push_back(
        {{"month", e.month}, {"kind", e.kind}, {"group", e.group}, {"value", e.value}, {"value2", e.value2}});
  json levers = json::object();
  for (const auto& [name, value] : s.lever_values()) levers[name] = to_json(value);
  return text({{"scenario", s.scenario_name()},
               {"title", {{"id", s.scenario_title().in("id")}, {"en", s.scenario_title().in("en")}}},
               {"seed", s.seed()},
               {"month", run.months_done()},
               {"months", run.months_total()},
               {"district", d},
               {"levers", levers},
               {"mentors", w.mentors.size()},
               {"groups", groups},
               {"visits", visits},
               {"events", events},
               {"series", {{"run", series_json(run)}, {"baseline", series_json(s.baseline())}}}});
}

std::string group_json(const Session& s, const std::string& id_param) {
  const auto& run = s.run();
  const auto& w = run.world();
  const auto id = index_of(id_param, w.groups.size(), "group", "GET /api/state lists the groups formed so far");
  const auto& g = w.groups[id];
  const auto& v = w.villages[g.village];
  json people = json::array();
  for (auto i = g.member_begin; i < g.member_end; ++i) {
    const auto h = w.members[i];
    const bool current = w.hh.group[h] == static_cast<std::int32_t>(g.id);
    people.push_back({{"household", h},
                      {"current", current},
                      {"role", current ? role_name(w.hh.role[h]) : "none"},
                      {"size", w.hh.size[h]},
                      {"base_income", w.hh.base_income[h]},
                      {"poverty_line", w.household_line(h)},
                      {"savings", w.hh.savings[h]},
                      {"understanding", w.hh.understanding[h]},
                      {"skill", w.hh.skill[h]},
                      {"motivation", w.hh.motivation[h]}});
  }
  json history = {
      {"month", json::array()}, {"capital", json::array()}, {"cohesion", json::array()}, {"members", json::array()}};
  for (const auto& m : run.history(id)) {
    history["month"].push_back(m.month);
    history["capital"].push_back(m.capital);
    history["cohesion"].push_back(m.cohesion);
    history["members"].push_back(m.members);
  }
  json events = json::array();
  for (const auto& e : run.events())
    if (e.group == id)
      events.push_back({{"month", e.month}, {"kind", e.kind}, {"value", e.value}, {"value2", e.value2}});
  return text({{"id", g.id},
               {"name", group_name(g.id)},
               {"month", run.months_done()},
               {"village", g.village},
               {"village_name", v.name},
               {"district", v.district_id},
               {"business", kube::business_name(g.type)},
               {"stage", stage_name(g.stage)},
               {"cause", kube::cause_name(g.cause)},
               {"at_risk", g.flagged_at >= 0 && g.stage != kube::Stage::Inactive},
               {"need", g.need_since >= 0},
               {"label", g.label},
               {"permit", g.permit},
               {"mentor", g.mentor},
               {"cohort", g.cohort},
               {"formed", g.formed},
               {"funded", g.funded},
               {"failed", g.failed},
               {"members", g.members},
               {"size_formed", g.size_formed},
               {"contributors", g.contributors},
               {"capital", g.capital},
               {"iks", g.iks},
               {"cohesion", g.cohesion},
               {"bookkeeping", g.bookkeeping},
               {"grant", g.grant_in},
               {"payout_per_member", g.payout_per_member},
               {"people", people},
               {"history", history},
               {"events", events}});
}

std::string household_json(const Session& s, const std::string& id_param) {
  const auto& w = s.run().world();
  const auto h = index_of(id_param, w.hh.count(), "household", "GET /api/map lists a sub-district's households");
  const std::uint32_t village = kube::village_of(w, h);
  const auto& v = w.villages[village];
  json groups = json::array();
  for (const auto& g : w.groups)
    for (auto i = g.member_begin; i < g.member_end; ++i)
      if (w.members[i] == h) groups.push_back(g.id);
  const auto flags = w.hh.flags[h];
  return text({{"id", h},
               {"month", s.run().months_done()},
               {"village", village},
               {"village_name", v.name},
               {"district", v.district_id},
               {"size", w.hh.size[h]},
               {"eligible", (flags & kube::H_ELIGIBLE) != 0},
               {"recipient", (flags & kube::H_RECIPIENT) != 0},
               {"group", w.hh.group[h]},
               {"groups", groups},
               {"role", w.hh.group[h] >= 0 ? role_name(w.hh.role[h]) : "none"},
               {"base_income", w.hh.base_income[h]},
               {"poverty_line", w.household_line(h)},
               {"savings", w.hh.savings[h]},
               {"understanding", w.hh.understanding[h]},
               {"skill", w.hh.skill[h]},
               {"motivation", w.hh.motivation[h]},
               {"need_months", w.hh.need_months[h]}});
}

void apply_setup(Session& s, const std::string& body) {
  static const char* example = R"({"levers": {"socialization.sessions": 3}, "seed": 7})";
  const json j = parse_object(body, example);
  only_fields(j, {"levers", "seed"}, example);
  std::map<std::string, sim::Value> values;
  if (j.contains("levers")) {
    const json& l = j["levers"];
    if (!l.is_object())
      throw BadRequest(std::string("'levers' must be an object of lever names and values, got ") + l.type_name() +
                       ". Send e.g. " + example + ".");
    for (const auto& [name, value] : l.items()) values[name] = to_value(name, value);
  }
  std::uint64_t seed = s.seed();
  if (j.contains("seed")) {
    const json& v = j["seed"];
    if (!v.is_number_unsigned() || v.get<std::uint64_t>() > 9007199254740991ULL)
      throw BadRequest("'seed' must be a whole number from 0 to 9007199254740991, got " + clip(text(v), 40) +
                       ". Send e.g. {\"seed\": 20240101}.");
    seed = v.get<std::uint64_t>();
  }
  try {
    s.setup(values, seed);
  } catch (const sim::InputError& e) {
    throw BadRequest(e.what());
  }
}

int apply_step(Session& s, const std::string& body) {
  static const char* example = R"({"months": 1})";
  const json j = parse_object(body, example);
  only_fields(j, {"months"}, example);
  if (!j.contains("months")) return s.step(1);
  const json& v = j["months"];
  if (!v.is_number_integer() || v.get<long long>() < 1 || v.get<long long>() > 600)
    throw BadRequest("'months' must be a whole number from 1 to 600, got " + clip(text(v), 40) + ". Send e.g. " +
                     example + ".");
  return s.step(static_cast<int>(v.get<long long>()));
}

}  // namespace trainer
