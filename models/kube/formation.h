// Cohorts and group formation: verification picks members along social ties within a
// village, with targeting errors letting ineligible households in; members choose their
// officers; the city office assigns a mentor.
#pragma once
#include <set>
#include <tuple>

#include "models/kube/state.h"

namespace kube {

// How a cohort's groups are found: drafted by block of villages on the run's threads, then
// entered in order (the model's way), or one after another in order. Both give the same
// cohort; the second is kept as the plain statement of the rule, for tests.
enum class FormationPass { ByBlock, OneByOne };

// Forms this month's cohort, if one is due.
void form_cohort(World& w, FormationPass pass = FormationPass::ByBlock);

// Hires mentors to keep the set ratio for `groups` groups.
void hire_mentors(World& w, std::size_t groups);
// The mentors ordered by the office's rule for a new group: fewest groups in preparation,
// then fewest groups, then first hired. Built once per cohort (hire_mentors has run), it
// assigns each new group in O(log mentors), so forming a cohort is linear in its groups.
class MentorQueue {
 public:
  explicit MentorQueue(const World& w);
  void assign(World& w, Group& g);

 private:
  std::set<std::tuple<std::size_t, std::size_t, std::size_t>> order_;  // (preparing, groups, mentor)
};

}  // namespace kube
