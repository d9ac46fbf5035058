// The parameter table: the one source of truth for every parameter of the KUBE model.
// Each row: section, key, type, default, min, max, unit, description, source. Sources
// carry a confidence: H regulation, official statistic or peer-reviewed result; M one
// local study or officials quoted; L anecdote, derivation or assumption (every L number
// is a parameter, never a constant in code). From this list come the Params struct, the
// table the scenario loader checks against, and docs/parameters.md.
//
// R: real, I: integer, B: boolean, C: choice (options separated by '|'), S: string.
#pragma once

// The tables are laid out by hand, one entry per line group: not reformatted.
// clang-format off
#define BERDAYA_PARAMS(R, I, B, C, S)                                                                           \
  I(run, months, 72, 1, 600, "months", "Simulated months (one step is one month)", "[design] six years (L)")    \
  I(run, replicates, 100, 1, 100000, "runs", "Replicates (independent runs) of the scenario",                   \
    "[design] (L)")                                                                                             \
  I(run, seed, 20240101, 0, 9007199254740991LL, "-",                                                            \
    "Master seed; results depend only on (scenario, seed, replicate)", "[design] (L)")                          \
  S(population, village_file, "", "path",                                                                       \
    "CSV of villages (kecamatan,village[,kind][,households]; comma or semicolon), relative to the file that "   \
    "sets it; empty for synthetic villages",                                                                   \
    "[batu-admin] (H)")                                                                                         \
  I(population, villages, 24, 1, 1000000, "villages",                                                           \
    "Number of synthetic villages when village_file is empty", "[design] synthetic areas only (L)")             \
  I(population, villages_per_district, 250, 1, 100000, "villages",                                              \
    "Villages per synthetic sub-district (for naming only)", "[design] naming only (L)")                        \
  I(population, households_per_village, 150, 5, 100000, "households",                                           \
    "DTKS-registered (poor and near-poor) households per village (unless the village file gives them)",        \
    "[bps-batu-2024] [assumption] (L)")                                                                         \
  R(population, household_size, 4.24, 1, 10, "persons", "Mean size of a poor household",                       \
    "[bps-jatim-2024] March 2024 (H)")                                                                          \
  R(population, poverty_line, 642778, 1, 1e8, "Rp/person/month", "Per-capita poverty line",                     \
    "[bps-batu-2024] March 2024; Rp 671,273 in March 2025 [bps-batu-2025] (H)")                                 \
  I(population, household_size_max, 15, 1, 50, "persons", "Largest household size drawn",                    \
    "[assumption] (L)")                                                                                         \
  R(population, income_median_ratio, 0.9, 0.05, 5, "x household line",                                         \
    "Median base income of a household relative to its poverty line", "[assumption] (L)")                       \
  R(population, income_log_sd, 0.4, 0, 3, "log Rp", "Log standard deviation of base household income",          \
    "[assumption] (L)")                                                                                         \
  R(population, income_ceiling, 3155367, 0, 1e9, "Rp/month",                                                    \
    "Ceiling of a poor household's labour income (minimum wage)", "[umk-jatim-2024] Kota Batu minimum wage 2024 (H)") \
  R(population, eligible_share, 0.8, 0, 1, "share",                                                             \
    "Share of pool households eligible (DTKS, head aged 18-60, no earlier grant)", "[assumption] (L)")          \
  R(population, ineligible_income_ratio, 1.6, 0.1, 10, "x",                                                     \
    "Base income of ineligible pool households relative to eligible ones", "[assumption] (L)")                  \
  R(population, skill_mean, 0.3, 0.01, 0.99, "0-1", "Mean business and bookkeeping skill (low by default)",     \
    "[wulandari] low member quality; value [assumption] (L)")                                                   \
  R(population, understanding_mean, 0.3, 0.01, 0.99, "0-1",                                                     \
    "Mean initial understanding of the program (grant as productive capital)",                                  \
    "[wulandari] members do not understand the program; value [assumption] (L)")                                \
  R(population, motivation_mean, 0.6, 0.01, 0.99, "0-1", "Mean initial motivation", "[assumption] (L)")         \
  R(population, trait_concentration, 8, 1, 1000, "-",                                                           \
    "Concentration (a+b) of the beta distributions of skill, understanding, motivation", "[assumption] (L)")    \
  I(network, ties_within, 4, 2, 50, "ties",                                                                     \
    "Ties per household within the village (even; small-world ring lattice)", "[watts-strogatz1998] [assumption] (L)") \
  R(network, rewire, 0.1, 0, 1, "probability", "Small-world rewiring probability within a village",             \
    "[watts-strogatz1998] rewiring; value [assumption] (L)")                                                    \
  R(network, strength_within_min, 0.25, 0.004, 1, "0-1", "Weakest tie within a village",                      \
    "[assumption] (L)")                                                                                         \
  R(network, strength_within_max, 1.0, 0.004, 1, "0-1", "Strongest tie within a village", "[assumption] (L)")  \
  R(network, strength_cross_min, 0.06, 0.004, 1, "0-1", "Weakest tie to another village", "[assumption] (L)")  \
  R(network, strength_cross_max, 0.55, 0.004, 1, "0-1", "Strongest tie to another village", "[assumption] (L)") \
  R(network, cross_village, 0.05, 0, 5, "ties/household",                                                       \
    "Mean ties per household to other villages of the same sub-district", "[assumption] (L)")                  \
  B(program, enabled, true, "-", "Run the program; false gives the no-program counterfactual",                  \
    "[design] (L)")                                                                                             \
  I(program, cohorts, 4, 0, 1000, "cohorts", "Yearly cohorts of new groups", "[putro2020] yearly; 4 [assumption] (M)") \
  I(program, groups_per_cohort, 12, 0, 1000000, "groups", "Groups formed per cohort",                           \
    "[putro2020] 42 groups in Kecamatan Batu 2015-2020; ~48 for the city [assumption] (M)")                     \
  I(program, first_cohort_month, 1, 1, 600, "month", "Month in which the first cohort is formed",               \
    "[design] (L)")                                                                                             \
  I(program, cohort_interval, 12, 1, 600, "months", "Months between cohorts", "[putro2020] yearly cohorts (M)") \
  I(program, group_size, 10, 5, 20, "households", "Members per group at formation",                             \
    "[permensos-2-2019] art. 3(2): 5-20; 10 in [kemenko-pmk-2017] (H)")                                         \
  R(program, grant_per_member, 2000000, 0, 1e9, "Rp", "UEP grant per member, paid to the group account",        \
    "[kemenko-pmk-2017] Rp 20 million per 10-member group (H)")                                                 \
  I(program, disbursement_lag, 3, 1, 24, "months", "Months from formation to disbursement of the grant",       \
    "[lampung-utara-2017] up to 12 seen; default [assumption] (L)")                                             \
  R(program, targeting_error, 0.10, 0, 1, "share", "Share of member slots filled by ineligible households",     \
    "[assumption] (L)")                                                                                         \
  R(program, leakage, 0, 0, 0.9, "share", "Share of the grant diverted at disbursement",                        \
    "[pandeglang] 5-17% seen; default 0 (L)")                                                                   \
  R(business, mix_livestock, 0.3, 0, 1, "weight", "Weight of livestock groups in new cohorts",                  \
    "[local-reports] (M)")                                                                                      \
  R(business, mix_food, 0.25, 0, 1, "weight", "Weight of food-processing groups", "[local-reports] (M)")         \
  R(business, mix_trade, 0.25, 0, 1, "weight", "Weight of small-trade groups", "[local-reports] (M)")           \
  R(business, mix_services, 0.1, 0, 1, "weight", "Weight of service groups", "[local-reports] (M)")              \
  R(business, mix_crafts, 0.1, 0, 1, "weight", "Weight of craft groups", "[local-reports] (M)")                 \
  R(business, monthly_return, 0.05, 0, 1, "1/month",                                                            \
    "Monthly return on capital of a well-run small firm", "[demel2008] 4.6-5.3% a month (H)")                   \
  R(business, depreciation, 0.01, 0, 1, "1/month", "Monthly depreciation of capital", "[assumption] (L)")       \
  R(business, productivity_floor, 0.2, 0, 1, "0-1", "Productivity of members with no skill, relative to full",  \
    "[assumption] (L)")                                                                                         \
  R(business, contribution_exponent, 0.5, 0, 3, "-",                                                            \
    "Diminishing returns to the contributing share of members", "[assumption] (L)")                             \
  R(business, bookkeeping_weight, 0.4, 0, 1, "0-1", "How much poor bookkeeping lowers productivity",            \
    "[assumption] (L)")                                                                                         \
  R(business, motivation_threshold, 0.35, 0, 1, "0-1", "Members below this motivation free-ride",               \
    "[assumption] (L)")                                                                                         \
  R(business, shock_sd_livestock, 1.5, 0, 5, "sd", "Monthly business shock sd, livestock", "[assumption] (L)")   \
  R(business, shock_sd_food, 1.2, 0, 5, "sd", "Monthly business shock sd, food processing", "[assumption] (L)") \
  R(business, shock_sd_trade, 1.0, 0, 5, "sd", "Monthly business shock sd, small trade", "[assumption] (L)")    \
  R(business, shock_sd_services, 1.0, 0, 5, "sd", "Monthly business shock sd, services", "[assumption] (L)")    \
  R(business, shock_sd_crafts, 1.2, 0, 5, "sd", "Monthly business shock sd, crafts", "[assumption] (L)")        \
  R(business, disease_prob, 0.02, 0, 1, "1/month", "Monthly probability of livestock disease in a herd",      \
    "[honduras-graduation] disease; rate [calibrated] to [mckenzie-paffhausen2017] (L)")                        \
  R(business, village_shock_prob, 0.02, 0, 1, "1/month",                                                        \
    "Monthly probability of a village-wide weather or market shock", "[assumption] (L)")                        \
  R(business, village_shock_size, 0.6, 0, 5, "share of return", "Return lost by every group of the village",   \
    "[assumption] (L)")                                                                                         \
  R(business, disaster_prob, 0.006, 0, 1, "1/month", "Monthly probability of a disaster in a village",          \
    "[calibrated]: full support no better than [mckenzie-paffhausen2017] (L)")                                  \
  R(business, loss_min, 0.3, 0, 1, "share", "Least share of capital destroyed by disease or disaster",         \
    "[assumption] (L)")                                                                                         \
  R(business, loss_max, 0.9, 0, 1, "share", "Largest share of capital destroyed by disease or disaster",       \
    "[honduras-graduation] most of the herd (L)")                                                               \
  R(business, catastrophe_share, 0.6, 0, 1, "share",                                                            \
    "A loss at least this large ends the group (catastrophic shock)", "[assumption] (L)")                       \
  R(business, iks_share, 0.10, 0, 1, "share", "Share of positive profit paid into the IKS solidarity fund",     \
    "[kemensos-guidelines] profit to IKS; share [assumption] (M)")                                              \
  R(business, reinvest_share, 0.30, 0, 1, "share", "Share of positive profit reinvested as capital",           \
    "[kemensos-guidelines] profit reinvested; share [assumption] (M)")                                          \
  C(business, payout_rule, "contributors", "contributors|all", "-",                                             \
    "Who shares the payout: contributing members only, or all members (unfair when some free-ride)",           \
    "[assumption] (L)")                                                                                         \
  R(business, label_premium, 0.15, 0, 2, "share", "Market-access premium of a product label",                   \
    "[wulandari] labels raise the selling price; premium [assumption] (L)")                                     \
  R(business, permit_premium, 0.10, 0, 2, "share", "Market-access premium of a food permit (P-IRT)",            \
    "[assumption] (L)")                                                                                         \
  R(governance, capture_prob, 0.025, 0, 1, "1/month",                                                           \
    "Monthly probability that the chair diverts capital, with no bookkeeping and no monitoring",               \
    "[assumption] (L)")                                                                                         \
  R(governance, bookkeeping_start, 1.0, 0, 5, "x",                                                              \
    "Starting bookkeeping quality relative to the mean skill of secretary and treasurer", "[assumption] (L)")   \
  R(governance, capture_share, 0.4, 0, 1, "share", "Share of capital diverted in a capture", "[assumption] (L)") \
  R(governance, detection_prob, 0.1, 0, 1, "1/month",                                                           \
    "Monthly probability that members discover a capture, scaled by bookkeeping", "[assumption] (L)")           \
  R(governance, deterrence, 0.7, 0, 1, "share", "Reduction of capture and split while a visit deters",          \
    "[assumption] (L)")                                                                                         \
  R(household, income_noise_sd, 0.15, 0, 2, "share", "Monthly income noise sd", "[assumption] (L)")             \
  R(household, shock_prob, 0.02, 0, 1, "1/month", "Monthly probability of a household shock (illness, crop, death)", \
    "[assumption] (L)")                                                                                         \
  R(household, shock_cost_min, 1, 0, 24, "months of income", "Least cost of a household shock",                \
    "[assumption] (L)")                                                                                         \
  R(household, shock_cost_max, 3, 0, 24, "months of income", "Largest cost of a household shock",              \
    "[assumption] (L)")                                                                                         \
  R(household, initial_savings_max, 0.5, 0, 60, "months of income",                                            \
    "Largest initial savings (drawn uniformly from zero to this)", "[assumption] (L)")                          \
  R(household, savings_rate, 0.03, 0, 1, "share", "Share of income saved each month", "[assumption] (L)")       \
  R(household, savings_cap, 2, 0, 60, "months of income", "Savings a poor household keeps at most",            \
    "[assumption] (L)")                                                                                         \
  R(household, iks_loan_cap, 0.5, 0, 1, "share of IKS fund", "Largest share of the IKS fund one member may borrow", \
    "[assumption] (L)")                                                                                         \
  R(household, withdrawal_cap, 1.0, 0, 1, "share of member's stake",                                            \
    "Largest share of a member's stake of the capital a member may take out for a shock", "[assumption] (L)")   \
  I(household, need_months, 3, 0, 60, "months", "Months a household stays in cash need after an uncovered shock", \
    "[assumption] (L)")                                                                                         \
  R(split, base, 3.5, -20, 20, "logit", "Log-odds of sharing out the grant at disbursement, before the terms below", \
    "[calibrated] to [sitepu-jpks]: over half gone in year one under weak support (L)")                        \
  R(split, understanding_weight, 4, 0, 50, "logit", "Fall of the log-odds per unit of mean understanding",      \
    "[assumption] (L)")                                                                                         \
  R(split, monitoring_weight, 6, 0, 50, "logit", "Fall of the log-odds under a deterring visit (x mentor quality)", \
    "[assumption] (L)")                                                                                         \
  R(split, need_weight, 2, 0, 50, "logit", "Rise of the log-odds per unit share of members in cash need",       \
    "[assumption] (L)")                                                                                         \
  R(split, stake_weight, 1.0, 0, 20, "logit",                                                                 \
    "Rise of the log-odds per unit log of the stake (capital per member in months of the members' income)",     \
    "[assumption] (L)")                                                                                         \
  R(split, stake_reference, 0.8, 0.01, 100, "months of income",                                                \
    "Stake at which the stake term is zero (the default grant against a poor household's income)",              \
    "[derived] Rp 2 million [kemenko-pmk-2017] against 0.9 x 4.24 [bps-jatim-2024] x Rp 642,778 [bps-batu-2024] (L)") \
  R(split, crisis_scale, 0.18, 0, 1, "share",                                                                   \
    "Monthly split probability in a crisis, relative to the probability at disbursement", "[calibrated] (L)")   \
  R(split, liquidity_months, 12, 0.1, 600, "months",                                                            \
    "Decay time of the crisis split hazard after funding: cash is easier to share out than goods",              \
    "[assumption] (L)")                                                                                         \
  R(split, liquid_floor, 0.2, 0, 1, "share",                                                                    \
    "Share of the crisis split hazard that remains once the grant is tied up in the business",                  \
    "[assumption] (L)")                                                                                         \
  R(cohesion, base, 0.35, 0, 1, "0-1", "Cohesion of a group with no ties among members", "[assumption] (L)")     \
  R(cohesion, tie_weight, 0.5, 0, 1, "0-1", "Added cohesion at full tie density among members",               \
    "[assumption] (L)")                                                                                         \
  R(cohesion, fair_gain, 0.005, 0, 1, "1/month", "Cohesion gained in a month with a fair payout", "[assumption] (L)") \
  R(cohesion, freeride_loss, 0.08, 0, 1, "1/month", "Cohesion lost per month at a free-riding share of 1",     \
    "[assumption] (L)")                                                                                         \
  R(cohesion, unfair_loss, 0.03, 0, 1, "1/month",                                                               \
    "Cohesion lost per month when free riders share the payout", "[assumption] (L)")                           \
  R(cohesion, unmet_loss, 0.01, 0, 1, "1/month", "Cohesion lost per month with a long-unmet need",              \
    "[assumption] (L)")                                                                                         \
  R(cohesion, capture_loss, 0.3, 0, 1, "0-1", "Cohesion lost when a capture is discovered", "[assumption] (L)")   \
  R(cohesion, conflict_rate, 0.11, 0, 1, "1/month", "Monthly conflict probability at zero cohesion",            \
    "[calibrated] to the survival of [sitepu-jpks] and [putro2020] (L)")                                        \
  R(cohesion, conflict_cost, 0.12, 0, 1, "0-1", "Cohesion lost in a conflict", "[assumption] (L)")                \
  R(cohesion, conflict_exit, 0.1, 0, 1, "probability", "Chance that each member leaves after a conflict",       \
    "[assumption] (L)")                                                                                         \
  R(cohesion, mediation, 0.04, 0, 1, "0-1", "Cohesion restored by a mentor visit (x quality)", "[assumption] (L)") \
  R(membership, expect_informed, 15000, 0, 1e8, "Rp/month",                                                     \
    "Monthly payout expected by a member who understands the program", "[assumption] (L)")                     \
  R(membership, expect_uninformed, 150000, 0, 1e8, "Rp/month",                                                  \
    "Monthly payout expected by a member who sees the grant as a hand-out", "[assumption] (L)")                 \
  R(membership, expectation_rate, 0.1, 0, 1, "1/month",                                                        \
    "Share of the gap between expected and received payout that a member's expectation closes each month",       \
    "[assumption] adaptive expectations (L)")                                                                   \
  R(membership, payout_scale, 100000, 1, 1e8, "Rp/month",                                                      \
    "Shortfall of payout against expectation at which the monthly motivation change is tanh(1) of its largest", \
    "[assumption] (L)")                                                                                         \
  R(membership, motivation_rate, 0.02, 0, 1, "1/month", "Motivation change per month from payouts against expectation", \
    "[calibrated] to the survival of [sitepu-jpks] and [putro2020] (L)")                                        \
  R(membership, peer_rate, 0.1, 0, 1, "1/month", "Pull of motivation toward that of tied members in the group", \
    "[assumption] (L)")                                                                                         \
  R(membership, unmet_penalty, 0.01, 0, 1, "1/month", "Motivation lost per month with a long-unmet need",        \
    "[assumption] (L)")                                                                                         \
  R(membership, exit_rate, 0.04, 0, 1, "1/month", "Monthly exit hazard of a member with zero motivation",        \
    "[calibrated] to the survival of [sitepu-jpks] and [putro2020] (L)")                                        \
  R(membership, ineligible_penalty, 0.15, 0, 1, "0-1", "Lower initial motivation of ineligible members",         \
    "[assumption] (L)")                                                                                         \
  R(status, viability_floor, 0.2, 0, 1, "share of grant", "Capital below this share of the grant is not viable", \
    "[assumption] (L)")                                                                                         \
  I(status, floor_months, 3, 1, 60, "months", "Months below the viability floor before a group ends",          \
    "[assumption] (L)")                                                                                         \
  I(status, min_members, 5, 1, 20, "members", "A group with fewer members ends", "[permensos-2-2019] at least 5 (H)") \
  I(status, min_contributors, 3, 1, 20, "members", "A group with fewer contributors for floor_months ends",      \
    "[assumption] (L)")                                                                                         \
  R(status, cohesion_floor, 0.15, 0, 1, "0-1", "A group below this cohesion dissolves in conflict",              \
    "[assumption] (L)")                                                                                         \
  R(needs, prob, 0.04, 0, 1, "1/month", "Monthly probability that an active group has a need (equipment, facility, marketing)", \
    "[wulandari] equipment proposals forwarded to the province; rate [assumption] (L)")                         \
  I(needs, unmet_months, 6, 1, 120, "months", "A need unmet for longer lowers motivation and cohesion",         \
    "[assumption] (L)")                                                                                         \
  I(province, capacity, 12, 0, 1000000, "proposals/year", "Proposals the provincial office decides per year",     \
    "[wulandari] the province decides facility proposals; capacity [assumption] (L)")                           \
  I(province, delay, 3, 0, 60, "months", "Months from forwarding to the provincial decision", "[assumption] (L)") \
  R(province, approval, 0.6, 0, 1, "probability", "Share of decided proposals approved", "[assumption] (L)")     \
  R(province, equipment_value, 3000000, 0, 1e9, "Rp", "Equipment capital added by an approved proposal",        \
    "[assumption] (L)")                                                                                         \
  I(socialization, sessions, 1, 0, 24, "sessions", "Socialization sessions before disbursement",                \
    "[wulandari] too little socialization; baseline 1 [assumption] (L)")                                        \
  I(socialization, refresher_interval, 0, 0, 120, "months", "Months between refresher sessions (0: none)",      \
    "[wulandari] recommends more socialization; baseline none (L)")                                             \
  R(socialization, attendance, 0.7, 0, 1, "share", "Share of members attending a session", "[assumption] (L)")    \
  R(socialization, uptake, 0.3, 0, 1, "share", "Share of the way to full understanding one session moves an attendee", \
    "[assumption] (L)")                                                                                         \
  R(socialization, cost_per_session, 500000, 0, 1e9, "Rp", "Cost of one session", "[assumption] (L)")           \
  R(training, hours, 0, 0, 1000, "hours", "Training hours per trainee before disbursement", "[wulandari] (L)")     \
  C(training, who, "all", "all|officers", "-", "Who is trained: all members or the three officers",            \
    "[assumption] (L)")                                                                                         \
  R(training, hour_scale, 24, 1, 1000, "hours", "Hours for 63% of the largest skill gain (diminishing returns)", \
    "[assumption] (L)")                                                                                         \
  R(training, max_gain, 0.06, 0, 1, "0-1", "Largest share of the skill gap training closes",                    \
    "[calibrated] to [mckenzie2020]: +5-10% profit; little survival gain [mckenzie-woodruff2014] (H)")         \
  R(training, cost_per_hour, 50000, 0, 1e9, "Rp/participant-hour", "Cost of training", "[assumption] (L)")        \
  I(monitoring, interval, 6, 1, 120, "months", "Intended months between routine monitoring visits",             \
    "[wulandari] recommends more monitoring; baseline 6 [assumption] (L)")                                      \
  R(monitoring, cost_per_visit, 100000, 0, 1e9, "Rp", "Cost of one visit", "[assumption] (L)")                  \
  R(mentors, groups_per_mentor, 10, 1, 1000, "groups", "Groups per mentor", "[umasugi-ternate] 1 per 10 groups (M)") \
  I(mentors, visits_per_month, 3, 0, 100, "visits", "Visits a mentor can make in a month", "[assumption] (L)")   \
  R(mentors, quality_min, 0.5, 0, 1, "0-1", "Lowest mentor quality", "[assumption] (L)")                         \
  R(mentors, quality_max, 0.9, 0, 1, "0-1", "Highest mentor quality", "[assumption] (L)")                        \
  I(mentors, deterrence_months, 6, 0, 60, "months", "Months a visit deters capture and splitting",              \
    "[assumption] (L)")                                                                                         \
  R(mentors, bookkeeping_gain, 0.12, 0, 1, "share", "Share of the bookkeeping gap a visit closes (x quality)",    \
    "[assumption] (L)")                                                                                         \
  R(mentors, motivation_boost, 0.01, 0, 1, "0-1", "Motivation a visit adds to each member (x quality)",          \
    "[assumption] (L)")                                                                                         \
  R(mentors, risk_capital_fall, 0.1, 0, 1, "share",                                                            \
    "A group whose capital fell by this share since the last visit is flagged at risk", "[assumption] (L)")    \
  R(mentors, risk_contributors, 0.5, 0, 1, "share",                                                            \
    "A group with fewer contributors than this share of its members is flagged at risk", "[assumption] (L)")   \
  R(mentors, risk_cohesion, 0.35, 0, 1, "0-1", "A group below this cohesion is flagged at risk", "[assumption] (L)") \
  R(mentors, cost_per_month, 2500000, 0, 1e9, "Rp/mentor-month", "Cost of a mentor", "[assumption] (L)")        \
  I(labels, per_year, 0, 0, 1000000, "labels/year", "Product labels the trade office (Disperindag) grants a year", \
    "[wulandari] labels arranged with Disperindag; baseline 0 [assumption] (L)")                                \
  R(labels, cost, 1500000, 0, 1e9, "Rp/group", "Cost of a label", "[assumption] (L)")                           \
  I(permits, per_year, 2, 0, 1000000, "permits/year", "Food permits (P-IRT) the health office grants a year",    \
    "[assumption] (L)")                                                                                         \
  I(office, response_target, 3, 0, 60, "months",                                                               \
    "An answer to a need within this many months counts as responsive", "[dwiyanto2008] threshold [assumption] (L)") \
  I(office, report_window, 6, 1, 12, "months",                                                                  \
    "Observations count for the yearly report when made in the last this many months of the year",             \
    "[wulandari] the 2019 report waited on a survey of active groups; window [assumption] (L)")                 \
  R(office, report_coverage, 0.8, 0, 1, "share",                                                                \
    "Share of funded groups observed in a year for the yearly report to be on time", "[assumption] (L)")
// clang-format on
