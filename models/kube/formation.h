// Cohorts and group formation: verification picks members along social ties within a
// village, with targeting errors letting ineligible households in; members choose their
// officers; the city office assigns a mentor.
#pragma once
#include "models/kube/state.h"

namespace kube {

// Forms this month's cohort, if one is due.
void form_cohort(World& w);

// Hires mentors to keep the set ratio for `groups` groups.
void hire_mentors(World& w, std::size_t groups);
// Assigns a new group to the least loaded mentor (hire_mentors has run for its cohort).
void assign_mentor(World& w, Group& g);

}  // namespace kube
