// The trainer's JSON API, apart from HTTP: each function reads or changes the session and
// returns the JSON text of the answer. Bad requests throw BadRequest with a message that
// names the problem and the fix; the session is then unchanged.
#pragma once
#include <stdexcept>
#include <string>

#include "trainer/session.h"

namespace trainer {

class BadRequest : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr std::size_t MAX_BODY = 64 * 1024;

std::string info_json(const Session& s);
std::string map_json(const Session& s, const std::string& district_param);
std::string state_json(const Session& s, const std::string& district_param);
// One group of the run (`id_param` as in /api/group/ID): its figures, members with their
// households, its month-by-month history and its events.
std::string group_json(const Session& s, const std::string& id_param);
// One household (/api/household/ID): its figures and the groups it belongs or belonged to.
std::string household_json(const Session& s, const std::string& id_param);
// POST bodies: {"levers": {"name": value, ...}, "seed": n} and {"months": n}.
void apply_setup(Session& s, const std::string& body);
int apply_step(Session& s, const std::string& body);
std::string error_json(const std::string& message);
// At most `max` bytes of `s` for quoting in a message, cut before a UTF-8 sequence
// rather than inside one.
std::string clip(const std::string& s, std::size_t max);
// The message for a body over MAX_BODY.
std::string body_too_large_message();

}  // namespace trainer
