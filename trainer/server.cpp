#include "trainer/server.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <csignal>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string_view>

#include <httplib.h>

#include "berdaya_trainer_web.h"
#include "models/kube/params.h"
#include "sim/config.h"
#include "sim/error.h"
#include "trainer/api.h"
#include "trainer/connections.h"
#include "trainer/sessions.h"

namespace trainer {

namespace {

const char* JSON_TYPE = "application/json; charset=utf-8";

// Every API path and the one method it answers; other methods get 405. A path ending in
// '/' is a prefix: an id follows it.
struct Route {
  const char* path;
  const char* method;
  bool matches(const std::string& p) const {
    const std::string_view r(path);
    return r.back() == '/' ? p.size() > r.size() && std::string_view(p).substr(0, r.size()) == r : p == r;
  }
};
constexpr Route API_ROUTES[] = {{"/api/info", "GET"},   {"/api/map", "GET"},        {"/api/state", "GET"},
                                {"/api/group/", "GET"}, {"/api/household/", "GET"}, {"/api/setup", "POST"},
                                {"/api/step", "POST"}};

// A request whose session cookie names no open session: the server restarted, or closed
// the session when it was full and this one had been idle longest.
class SessionGone : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

void send_json(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, JSON_TYPE);
}

// The page is served with a policy that lets it load nothing from elsewhere.
void set_page_headers(httplib::Response& res) {
  res.set_header("Content-Security-Policy",
                 "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                 "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Cache-Control", "no-store");
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "name:port", "[v6]:port" or "name" (port 80), as in Host and after "http://" in Origin.
struct Authority {
  std::string host;  // lower case; an IPv6 address keeps its brackets
  int port = 80;
};

std::optional<Authority> parse_authority(std::string_view a) {
  Authority out;
  std::string_view rest;
  if (!a.empty() && a.front() == '[') {
    const auto close = a.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    out.host = lower(a.substr(0, close + 1));
    rest = a.substr(close + 1);
  } else {
    const auto colon = a.rfind(':');
    out.host = lower(a.substr(0, colon));
    rest = colon == std::string_view::npos ? std::string_view() : a.substr(colon);
  }
  if (out.host.empty() || out.host.find_first_of("/?#@ ") != std::string::npos) return std::nullopt;
  if (!rest.empty()) {
    if (rest.front() != ':' || rest.size() < 2 || rest.size() > 6) return std::nullopt;
    int port = 0;
    const auto r = std::from_chars(rest.data() + 1, rest.data() + rest.size(), port);
    if (r.ec != std::errc() || r.ptr != rest.data() + rest.size() || port < 1 || port > 65535) return std::nullopt;
    out.port = port;
  }
  return out;
}

bool host_is_loopback_name(const std::string& host_header) {
  const auto a = parse_authority(host_header);
  if (!a) return false;
  const std::string host = a->host.front() == '[' ? a->host.substr(1, a->host.size() - 2) : a->host;
  return host == "localhost" || is_loopback(host);
}

// RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF.
bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = 0;
    unsigned min = 0, cp = 0;
    if ((c & 0xE0) == 0xC0) {
      n = 1, min = 0x80, cp = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2, min = 0x800, cp = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3, min = 0x10000, cp = c & 0x07u;
    } else {
      return false;
    }
    if (s.size() - i <= n) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// What is wrong with a request target, or nothing: each '%' must start two hex digits,
// and the decoded path and query must be UTF-8 without control characters. (httplib
// decodes leniently: "%ff" to a lone byte, "%" left as it is.)
std::string bad_target(const std::string& target) {
  std::string decoded;
  for (std::size_t i = 0; i < target.size(); ++i) {
    if (target[i] != '%') {
      decoded += target[i] == '+' ? ' ' : target[i];
      continue;
    }
    const int hi = i + 1 < target.size() ? hex_digit(target[i + 1]) : -1;
    const int lo = i + 2 < target.size() ? hex_digit(target[i + 2]) : -1;
    if (hi < 0 || lo < 0)
      return "the address has a '%' that is not followed by two hex digits (" + target.substr(i, 3) +
             "). Write a literal % as %25.";
    decoded += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  if (!valid_utf8(decoded)) return "the address decodes to bytes that are not UTF-8. Percent-encode UTF-8 text only.";
  if (std::any_of(decoded.begin(), decoded.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
    return "the address holds control characters. Leave them out.";
  return {};
}

// A media type without its parameters, in lower case; charset must be UTF-8 if named.
bool is_json_type(std::string_view type) {
  const auto semi = type.find(';');
  auto trim = [](std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    return v;
  };
  if (!iequals(trim(type.substr(0, semi)), "application/json")) return false;
  for (auto rest = semi == std::string_view::npos ? std::string_view() : type.substr(semi + 1); !rest.empty();) {
    const auto next = rest.find(';');
    const auto param = trim(rest.substr(0, next));
    const auto eq = param.find('=');
    if (eq != std::string_view::npos && iequals(trim(param.substr(0, eq)), "charset")) {
      auto value = trim(param.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      if (!iequals(value, "utf-8")) return false;
    }
    rest = next == std::string_view::npos ? std::string_view() : rest.substr(next + 1);
  }
  return true;
}

bool is_api_post(const std::string& path) {
  return std::any_of(std::begin(API_ROUTES), std::end(API_ROUTES),
                     [&](const Route& r) { return r.matches(path) && std::string_view(r.method) == "POST"; });
}

// The origins this server answers state-changing requests from.
struct OwnOrigin {
  bool loopback = true;  // bound to a loopback address
  std::string bound;     // that address, as an Authority host
  int port = 0;          // the port listened on

  // On loopback: http:// with 127.0.0.1, localhost, [::1] or the bound address, and
  // this port. With --allow-remote: the Host the client used.
  bool accepts(const std::string& origin, const std::string& host_header) const {
    if (origin.size() < 8 || !iequals(std::string_view(origin).substr(0, 7), "http://")) return false;
    const auto o = parse_authority(std::string_view(origin).substr(7));
    if (!o) return false;
    if (loopback)
      return o->port == port &&
             (o->host == "127.0.0.1" || o->host == "localhost" || o->host == "[::1]" || o->host == bound);
    const auto h = parse_authority(host_header);
    return h && h->host == o->host && h->port == o->port;
  }
  std::string example() const {
    return "http://" + std::string(loopback ? "127.0.0.1" : bound) + ":" + std::to_string(port);
  }
};

// --bind and --port as given, before anything is loaded.
void check_options(const ServeOptions& o, bool loopback) {
  if (!loopback && !o.allow_remote)
    throw sim::InputError("--bind " + o.bind +
                          " would let other machines drive this simulation, and the server has no login. "
                          "Leave --bind out to serve on 127.0.0.1, or add --allow-remote if you mean it.");
  if (o.port < 0 || o.port > 65535)
    throw sim::InputError("--port " + std::to_string(o.port) +
                          " is not a port. Use 1 to 65535, or 0 for any free port.");
}

// What no route takes: 405 naming the method to use on a known path, 404 otherwise.
// Only the embedded files are served; no path reaches the file system.
void answer_unrouted(const httplib::Request& req, httplib::Response& res) {
  for (const auto& r : API_ROUTES) {
    if (!r.matches(req.path)) continue;
    res.set_header("Allow", r.method);
    send_json(res, 405,
              error_json(req.method + " is not allowed on " + clip(req.path, 80) + ". Use " + r.method + "."));
    return;
  }
  for (const auto& asset : web_assets()) {
    if (req.path != asset.path) continue;
    res.set_header("Allow", "GET");
    send_json(res, 405, error_json(req.method + " is not allowed on " + req.path + ". Use GET."));
    return;
  }
  send_json(res, 404,
            error_json("nothing at " + clip(req.path, 200) +
                       ". The page is at / and the API under /api/ (info, map, state, group/ID, household/ID, setup, "
                       "step)."));
}

// The checks every request passes before routing, so a refused one never reaches the
// session: a clean target, a routed method, this server's Host on loopback, and for a
// state-changing request this server's own page as its origin and an uncompressed JSON body.
httplib::Server::HandlerResponse check_request(const httplib::Request& req, httplib::Response& res,
                                               const OwnOrigin& own) {
  auto refuse = [&](int status, const std::string& message) {
    send_json(res, status, error_json(message));
    return httplib::Server::HandlerResponse::Handled;
  };
  if (const auto problem = bad_target(req.target); !problem.empty()) return refuse(400, problem);
  // TRACE, CONNECT: parsed by the library, but routed nowhere.
  static const std::string_view routed[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  if (std::find(std::begin(routed), std::end(routed), req.method) == std::end(routed)) {
    answer_unrouted(req, res);
    return httplib::Server::HandlerResponse::Handled;
  }
  // A page elsewhere could reach a loopback server through a name it controls (DNS
  // rebinding); such requests carry that name as Host and are refused.
  if (own.loopback && !host_is_loopback_name(req.get_header_value("Host")))
    return refuse(403, "Host '" + clip(req.get_header_value("Host"), 80) + "' is not this server. Open " +
                           own.example() + "/ directly.");
  const bool safe = req.method == "GET" || req.method == "HEAD" || req.method == "OPTIONS";
  if (safe) return httplib::Server::HandlerResponse::Unhandled;
  // Any page the trainer's browser visits may send a form or a "simple" fetch here;
  // the browser names that page in Origin and Sec-Fetch-Site.
  for (std::size_t i = 0; i < req.get_header_value_count("Origin"); ++i) {
    const auto origin = req.get_header_value("Origin", i);
    if (!own.accepts(origin, req.get_header_value("Host")))
      return refuse(403, "a page at '" + clip(origin, 80) + "' may not change this simulation. " +
                             "Only the trainer's own page (" + own.example() + "/) may.");
  }
  if (iequals(req.get_header_value("Sec-Fetch-Site"), "cross-site"))
    return refuse(403, "a page on another site may not change this simulation. Use the trainer's own page (" +
                           own.example() + "/).");
  const auto encoding = req.get_header_value("Content-Encoding");
  if (!encoding.empty() && !iequals(encoding, "identity"))
    return refuse(415, "a compressed body (Content-Encoding: " + clip(encoding, 40) +
                           ") is not accepted. Send the JSON as it is.");
  if (is_api_post(req.path) && !is_json_type(req.get_header_value("Content-Type")))
    return refuse(415, "POST " + req.path + " takes a JSON body: send the header Content-Type: application/json" +
                           (req.has_header("Content-Type")
                                ? " (this request sent '" + clip(req.get_header_value("Content-Type"), 60) + "')."
                                : "."));
  return httplib::Server::HandlerResponse::Unhandled;
}

// The session a request works on: the one its cookie names, or the shared one of clients
// without the cookie. A cookie naming no open session is refused (410), never silently
// given someone else's run or a fresh one.
std::shared_ptr<SessionPool::Slot> slot_for(SessionPool& pool, const httplib::Request& req) {
  std::optional<std::string> id;
  for (std::size_t i = 0; i < req.get_header_value_count("Cookie") && !id; ++i)
    id = session_id_from_cookies(req.get_header_value("Cookie", i));
  if (!id) return pool.shared();
  if (auto slot = pool.find(*id)) return slot;
  throw SessionGone(
      "this browser's trainer session has ended: the server was restarted, or it was full and closed this session "
      "after " +
      std::to_string(pool.limits().idle_evict.count()) + " idle minutes. Reload the page to start a new one.");
}

// The API: each handler works on its session under that session's lock, so requests of
// different browsers run side by side and those of one browser one after another. A bad
// request is a 400; so is anything else a handler throws, with the message, and the server
// carries on.
void add_api_routes(httplib::Server& server, SessionPool& pool) {
  auto api = [&pool](auto&& work) {
    return [&pool, work](const httplib::Request& req, httplib::Response& res) {
      try {
        const auto slot = slot_for(pool, req);
        std::lock_guard<std::mutex> lock(slot->mutex);
        send_json(res, 200, work(slot->session, req));
      } catch (const SessionGone& e) {
        send_json(res, 410, error_json(e.what()));
      } catch (const BadRequest& e) {
        send_json(res, 400, error_json(e.what()));
      } catch (const sim::InputError& e) {
        send_json(res, 400, error_json(e.what()));
      } catch (const std::exception& e) {
        std::cerr << "berdaya serve: " << req.method << " " << clip(req.path, 80) << " failed: " << e.what() << "\n";
        send_json(res, 400, error_json(std::string("the request could not be handled: ") + e.what()));
      }
      res.set_header("Cache-Control", "no-store");
    };
  };
  using Req = const httplib::Request&;
  server.Get("/api/info", api([](Session& s, Req) { return info_json(s); }));
  server.Get("/api/map", api([](Session& s, Req req) { return map_json(s, req.get_param_value("district")); }));
  server.Get("/api/state", api([](Session& s, Req req) { return state_json(s, req.get_param_value("district")); }));
  server.Get(R"(/api/group/([^/]+))", api([](Session& s, Req req) { return group_json(s, req.matches[1]); }));
  server.Get(R"(/api/household/([^/]+))", api([](Session& s, Req req) { return household_json(s, req.matches[1]); }));
  server.Post("/api/setup", api([](Session& s, Req req) {
                apply_setup(s, req.body);
                return state_json(s, req.get_param_value("district"));
              }));
  server.Post("/api/step", api([](Session& s, Req req) {
                apply_step(s, req.body);
                return state_json(s, req.get_param_value("district"));
              }));
}

// What a browser sees when every session is taken: the reason, in both languages.
std::string full_page(const std::string& message) {
  return "<!doctype html>\n<html lang=\"id\"><head><meta charset=\"utf-8\"><title>berdaya</title></head><body>"
         "<h1>Server penuh</h1><p>Server pelatih sudah menjalankan sesi sebanyak batasnya, satu per peramban. "
         "Tutup halaman ini di peramban yang tidak memakainya lagi, lalu muat ulang halaman ini.</p>"
         "<h1 lang=\"en\">Server full</h1><p lang=\"en\">" +
         message + "</p></body></html>\n";
}

// The page's embedded files, and answer_unrouted for whatever else comes. The page itself
// (/) opens a browser's session: a browser without a session cookie, or with one the
// server no longer knows, gets a new session and its cookie.
void add_page_routes(httplib::Server& server, SessionPool& pool) {
  for (const auto& asset : web_assets()) {
    const bool page = std::string_view(asset.path) == "/";
    server.Get(asset.path, [&asset, &pool, page](const httplib::Request& req, httplib::Response& res) {
      set_page_headers(res);
      if (page) {
        std::optional<std::string> id;
        for (std::size_t i = 0; i < req.get_header_value_count("Cookie") && !id; ++i)
          id = session_id_from_cookies(req.get_header_value("Cookie", i));
        if (!id || !pool.find(*id)) {
          try {
            const auto made = pool.create();
            res.set_header("Set-Cookie",
                           std::string(SESSION_COOKIE) + "=" + made.first + "; Path=/; HttpOnly; SameSite=Strict");
          } catch (const SessionsFull& e) {
            res.status = 503;
            res.set_header("Retry-After", "60");
            res.set_content(full_page(e.what()), "text/html; charset=utf-8");
            return;
          }
        }
      }
      res.set_content(asset.data, asset.size, asset.mime);
    });
  }
  server.Get(".*", answer_unrouted);
  server.Post(".*", answer_unrouted);
  server.Put(".*", answer_unrouted);
  server.Patch(".*", answer_unrouted);
  server.Delete(".*", answer_unrouted);
  server.Options(".*", answer_unrouted);
}

// Failures outside the handlers get the API's JSON error shape, never a bare 500.
void add_error_handlers(httplib::Server& server) {
  // Whatever a handler throws past the ones of add_api_routes is answered.
  server.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "an unknown error";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    std::cerr << "berdaya serve: " << req.method << " " << clip(req.path, 80) << " failed: " << what << "\n";
    send_json(res, 400, error_json("the request could not be handled: " + what));
  });

  // Errors the library finds itself (malformed request line, oversized body).
  server.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    if (res.status == 413) {
      send_json(res, 400, error_json(body_too_large_message()));
    } else if (res.status == 414) {
      send_json(res, 414, error_json("the address is longer than 8192 bytes. The API needs only a short one."));
    } else {
      send_json(res, res.status,
                error_json("the request could not be read (HTTP " + std::to_string(res.status) +
                           "). Send a plain HTTP/1.1 request."));
    }
    return httplib::Server::HandlerResponse::Handled;
  }));
}

// Binds --bind and --port (0: a free port the system picks); returns the port bound.
int bind_port(GuardedServer& server, const ServeOptions& o) {
  int port = o.port;
  if (port == 0) {
    port = server.bind_to_any_port(o.bind);
    if (port < 0) throw sim::InputError("cannot listen on " + o.bind + ". Check the address given to --bind.");
  } else if (!server.bind_to_port(o.bind, port)) {
    throw sim::InputError("cannot listen on " + o.bind + ":" + std::to_string(port) +
                          ": the port is in use or the address is not this machine's. Choose another with --port.");
  }
  server.widen_backlog();
  return port;
}

}  // namespace

bool is_loopback(const std::string& a) {
  if (a == "::1" || a == "localhost") return true;
  // 127.0.0.0/8, written as a dotted quad.
  if (a.rfind("127.", 0) != 0) return false;
  int dots = 0;
  for (char c : a) {
    if (c == '.')
      ++dots;
    else if (c < '0' || c > '9')
      return false;
  }
  return dots == 3;
}

int serve(const ServeOptions& o) {
  const bool loopback = is_loopback(o.bind);
  check_options(o, loopback);

  const auto& table = kube::param_table();
  sim::Resolved scenario = sim::load_scenario(o.scenario, table);
  const auto base_dir = o.scenario.parent_path();
  const auto seed = o.seed ? *o.seed : static_cast<std::uint64_t>(std::get<long long>(scenario.get(table, "run.seed")));
  SessionPool pool(std::move(scenario), base_dir, seed, SessionLimits{o.max_sessions, o.idle_evict});
  const Session& session = pool.any_session();

  // A client that goes away mid-response must cost a failed write, not the process.
  std::signal(SIGPIPE, SIG_IGN);

  ConnectionLimits limits;
  limits.max_body = MAX_BODY;
  GuardedServer server(limits);
  server.set_payload_max_length(MAX_BODY);

  const std::string host = o.bind.find(':') != std::string::npos ? "[" + o.bind + "]" : o.bind;
  OwnOrigin own{loopback, lower(host), 0};  // the port once bound
  server.set_pre_routing_handler(
      [&own](const httplib::Request& req, httplib::Response& res) { return check_request(req, res, own); });
  add_api_routes(server, pool);
  add_page_routes(server, pool);
  add_error_handlers(server);

  const int port = bind_port(server, o);
  own.port = port;
  if (!loopback)
    std::cerr << "berdaya serve: warning: serving on " << o.bind
              << ", reachable from other machines; anyone who can reach it can change the simulation.\n";
  std::cerr << "berdaya serve: scenario '" << session.scenario_name() << "', seed " << session.seed() << ", up to "
            << o.max_sessions << " browser sessions"
            << "\nberdaya serve: open http://" << host << ":" << port << "/ (Ctrl-C stops)" << std::endl;
  return server.listen_after_bind() ? 0 : 1;
}

}  // namespace trainer
