// The output table: every monthly series, yearly indicator and per-group column of the
// KUBE model, declared once. From these lists come the recorder's enums (M_..., Y_...,
// G_...), their counts and the sim::Schema the writer lays the files out by, so a column
// cannot be recorded under another's name. Names are part of the file format: readers,
// the regression baseline and docs/output-format.md depend on them.
//
// Each row: X(id, name, unit, type, labels, missing, description)
//   unit     a UDUNITS-2 string: "1" for counts, shares and ratios, "month" for months;
//            money is "IDR" (ISO 4217), the one unit UDUNITS does not define, so a mean
//            income per household is "IDR month-1" with the "per household" in the
//            description; empty for a code column, whose labels say what it holds
//   type     REAL (float64) or INT (int32: codes, months, counts)
//   labels   NONE, CAUSES or BUSINESS: the labels of code 0, 1, ... of a code column
//   missing  NO_MISSING, or the value that stands for "missing" in the column
// The failures_* rows follow Cause (grant_split first) and the cost_* rows CostCategory;
// metrics.cpp asserts both orders.
#pragma once

#define KUBE_SERIES(X)                                                                                                 \
  X(M_FORMED, "groups_formed", "1", REAL, NONE, NO_MISSING, "Groups formed so far")                                    \
  X(M_PREPARING, "groups_preparing", "1", REAL, NONE, NO_MISSING,                                                      \
    "Groups in preparation (formed, not yet funded)")                                                                  \
  X(M_ACTIVE, "groups_active", "1", REAL, NONE, NO_MISSING, "Funded groups still active (true state)")                 \
  X(M_INACTIVE, "groups_inactive", "1", REAL, NONE, NO_MISSING, "Groups that became inactive so far")                  \
  X(M_FUNDED, "groups_funded", "1", REAL, NONE, NO_MISSING, "Groups funded so far")                                    \
  X(M_OFFICE_ACTIVE, "office_active", "1", REAL, NONE, NO_MISSING,                                                     \
    "Active groups by the city office's books (unobserved groups assumed active)")                                     \
  X(M_FAIL_SPLIT, "failures_grant_split", "1", REAL, NONE, NO_MISSING,                                                 \
    "Groups inactive so far by cause: grant_split")                                                                    \
  X(M_FAIL_LOSSES, "failures_business_losses", "1", REAL, NONE, NO_MISSING,                                            \
    "Groups inactive so far by cause: business_losses")                                                                \
  X(M_FAIL_WITHDRAWAL, "failures_member_withdrawal", "1", REAL, NONE, NO_MISSING,                                      \
    "Groups inactive so far by cause: member_withdrawal")                                                              \
  X(M_FAIL_CONFLICT, "failures_conflict", "1", REAL, NONE, NO_MISSING, "Groups inactive so far by cause: conflict")    \
  X(M_FAIL_CATASTROPHE, "failures_catastrophe", "1", REAL, NONE, NO_MISSING,                                           \
    "Groups inactive so far by cause: catastrophe")                                                                    \
  X(M_CAPITAL, "capital", "IDR", REAL, NONE, NO_MISSING, "Capital of active groups, total")                            \
  X(M_IKS, "iks", "IDR", REAL, NONE, NO_MISSING, "IKS solidarity funds of active groups, total")                       \
  X(M_PAYOUTS, "payouts", "IDR", REAL, NONE, NO_MISSING, "Profit paid out to members this month, total")               \
  X(M_CAPTURED, "captured", "IDR", REAL, NONE, NO_MISSING, "Capital diverted by capture so far")                       \
  X(M_MEMBERS, "members", "1", REAL, NONE, NO_MISSING, "Current members of active groups")                             \
  X(M_CONTRIBUTORS, "contributors", "1", REAL, NONE, NO_MISSING, "Members contributing effort this month")             \
  X(M_INCOME_MEMBERS, "income_members", "IDR month-1", REAL, NONE, NO_MISSING,                                         \
    "Mean income of recipient households: base income plus the lasting program income (payouts)")                      \
  X(M_INCOME_MEMBERS_CF, "income_members_cf", "IDR month-1", REAL, NONE, NO_MISSING,                                   \
    "Mean income of recipient households without the program")                                                         \
  X(M_TRANSFER_MEMBERS, "transfer_members", "IDR month-1", REAL, NONE, NO_MISSING,                                     \
    "Mean one-off transfer to recipient households this month (a shared-out grant), not counted as income")            \
  X(M_RECIPIENTS, "recipients", "1", REAL, NONE, NO_MISSING,                                                           \
    "Recipient households (members of a group at any time so far)")                                                    \
  X(M_INCOME_POOL, "income_pool", "IDR month-1", REAL, NONE, NO_MISSING, "Mean income of all pool households")         \
  X(M_INCOME_POOL_CF, "income_pool_cf", "IDR month-1", REAL, NONE, NO_MISSING,                                         \
    "Mean income of pool households without the program")                                                              \
  X(M_POOR_MEMBERS, "poverty_members", "1", REAL, NONE, NO_MISSING,                                                    \
    "Share of recipient households below the poverty line")                                                            \
  X(M_POOR_MEMBERS_CF, "poverty_members_cf", "1", REAL, NONE, NO_MISSING, "The same without the program")              \
  X(M_POOR_POOL, "poverty_pool", "1", REAL, NONE, NO_MISSING, "Share of pool households below the poverty line")       \
  X(M_POOR_POOL_CF, "poverty_pool_cf", "1", REAL, NONE, NO_MISSING, "The same without the program")                    \
  X(M_GAP_MEMBERS, "poverty_gap_members", "1", REAL, NONE, NO_MISSING,                                                 \
    "Mean poverty gap of recipient households")                                                                        \
  X(M_GAP_POOL, "poverty_gap_pool", "1", REAL, NONE, NO_MISSING, "Mean poverty gap of pool households")                \
  X(M_GAP_POOL_CF, "poverty_gap_pool_cf", "1", REAL, NONE, NO_MISSING, "The same without the program")                 \
  X(M_SKILL, "skill", "1", REAL, NONE, NO_MISSING, "Mean skill of current members")                                    \
  X(M_UNDERSTANDING, "understanding", "1", REAL, NONE, NO_MISSING, "Mean understanding of current members")            \
  X(M_MOTIVATION, "motivation", "1", REAL, NONE, NO_MISSING, "Mean motivation of current members")                     \
  X(M_COHESION, "cohesion", "1", REAL, NONE, NO_MISSING, "Mean cohesion of active groups")                             \
  X(M_BOOKKEEPING, "bookkeeping", "1", REAL, NONE, NO_MISSING, "Mean bookkeeping quality of active groups")            \
  X(M_VISITS, "visits", "1", REAL, NONE, NO_MISSING, "Mentor visits this month")                                       \
  X(M_UNMET, "unmet_needs", "1", REAL, NONE, NO_MISSING, "Active groups with an open need")                            \
  X(M_AT_RISK, "at_risk", "1", REAL, NONE, NO_MISSING, "Groups flagged at risk awaiting a follow-up visit")            \
  X(M_MENTORS, "mentors", "1", REAL, NONE, NO_MISSING, "Mentors employed")                                             \
  X(M_COST_GRANTS, "cost_grants", "IDR", REAL, NONE, NO_MISSING, "Cumulative cost: grants")                            \
  X(M_COST_SOCIALIZATION, "cost_socialization", "IDR", REAL, NONE, NO_MISSING, "Cumulative cost: socialization")       \
  X(M_COST_TRAINING, "cost_training", "IDR", REAL, NONE, NO_MISSING, "Cumulative cost: training")                      \
  X(M_COST_VISITS, "cost_visits", "IDR", REAL, NONE, NO_MISSING, "Cumulative cost: visits")                            \
  X(M_COST_MENTORS, "cost_mentors", "IDR", REAL, NONE, NO_MISSING, "Cumulative cost: mentors")                         \
  X(M_COST_LABELS, "cost_labels", "IDR", REAL, NONE, NO_MISSING, "Cumulative cost: labels")                            \
  X(M_COST_EQUIPMENT, "cost_equipment", "IDR", REAL, NONE, NO_MISSING, "Cumulative cost: equipment")                   \
  X(M_COST_TOTAL, "cost_total", "IDR", REAL, NONE, NO_MISSING, "Cumulative cost, all categories")

#define KUBE_YEARLY(X)                                                                                                 \
  X(Y_ACTIVE_SHARE, "active_share", "1", REAL, NONE, NO_MISSING,                                                       \
    "Effectiveness: share of funded groups active at the end of the year")                                             \
  X(Y_INCOME_GAIN, "income_gain", "IDR month-1", REAL, NONE, NO_MISSING,                                               \
    "Effectiveness: recipients' mean monthly lasting income gain against the counterfactual (one-off transfers "       \
    "excluded)")                                                                                                       \
  X(Y_LIFTED, "lifted_share", "1", REAL, NONE, NO_MISSING,                                                             \
    "Effectiveness: share of recipients above the line only thanks to the program (mean over months)")                 \
  X(Y_RESPONSE_MEDIAN, "response_median", "month", REAL, NONE, NO_MISSING,                                             \
    "Responsiveness: median months from a need to the office's answer (answers given this year)")                      \
  X(Y_RESPONSE_3M, "response_within_3m", "1", REAL, NONE, NO_MISSING,                                                  \
    "Responsiveness: share of needs raised this year answered within 3 months")                                        \
  X(Y_AT_RISK_VISITED, "at_risk_visited", "1", REAL, NONE, NO_MISSING,                                                 \
    "Responsiveness: share of at-risk flags of this year followed up within a month")                                  \
  X(Y_REPORT_ON_TIME, "report_on_time", "1", INT, NONE, -1, "Accountability: the yearly report was on time")           \
  X(Y_REPORT_ERROR, "report_error", "1", REAL, NONE, NO_MISSING, "Accountability: reported minus true active groups")  \
  X(Y_REPORT_ERROR_REL, "report_error_rel", "1", REAL, NONE, NO_MISSING,                                               \
    "Accountability: report error relative to the true count")                                                         \
  X(Y_COST, "cost", "IDR", REAL, NONE, NO_MISSING, "Program cost in the year")                                         \
  X(Y_INCOME_PER_RUPIAH, "income_per_rupiah", "1", REAL, NONE, NO_MISSING,                                             \
    "Productivity: recipients' cumulative lasting income gain, all recipient-months, per rupiah spent so far")

#define KUBE_GROUPS(X)                                                                                                 \
  X(G_REPLICATE, "replicate", "1", INT, NONE, NO_MISSING, "Replicate index")                                           \
  X(G_GROUP, "group", "1", INT, NONE, NO_MISSING, "Group id within the replicate")                                     \
  X(G_VILLAGE, "village", "1", INT, NONE, NO_MISSING, "Village index (see /meta/villages)")                            \
  X(G_BUSINESS, "business", "", INT, BUSINESS, NO_MISSING, "Business type")                                            \
  X(G_COHORT, "cohort", "1", INT, NONE, NO_MISSING, "Cohort index")                                                    \
  X(G_FORMED_MONTH, "formed_month", "month", INT, NONE, NO_MISSING, "Month of formation (1-based)")                    \
  X(G_FUNDED_MONTH, "funded_month", "month", INT, NONE, -1,                                                            \
    "Month of disbursement (1-based), -1 if never funded")                                                             \
  X(G_FAILED_MONTH, "failed_month", "month", INT, NONE, -1,                                                            \
    "Month it became inactive (1-based), -1 if still active (censored)")                                               \
  X(G_CAUSE, "cause", "", INT, CAUSES, NO_MISSING, "Cause of inactivity")                                              \
  X(G_SIZE_FORMED, "size_formed", "1", INT, NONE, NO_MISSING, "Members at formation")                                  \
  X(G_SIZE_FINAL, "size_final", "1", INT, NONE, NO_MISSING, "Members at the end (0 once inactive)")                    \
  X(G_FINAL_CAPITAL, "final_capital", "IDR", REAL, NONE, NO_MISSING, "Capital at the end of the run")                  \
  X(G_PAYOUTS, "payouts", "IDR", REAL, NONE, NO_MISSING, "Profit paid out to members over the run")                    \
  X(G_CAPTURED, "captured", "IDR", REAL, NONE, NO_MISSING, "Capital diverted by capture over the run")                 \
  X(G_LABEL, "label", "1", INT, NONE, NO_MISSING, "Has a product label")                                               \
  X(G_PERMIT, "permit", "1", INT, NONE, NO_MISSING, "Has a food permit")                                               \
  X(G_MENTOR, "mentor", "1", INT, NONE, -1, "Mentor index")
