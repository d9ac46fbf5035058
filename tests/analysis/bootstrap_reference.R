# Reference values from R's survival and boot packages for reference/bootstrap_vs_r_boot:
# the Kaplan-Meier of all replicates' groups pooled, and the bootstrap over replicates of
# pooled statistics (S(h) and a ratio of totals).
# Usage: Rscript bootstrap_reference.R groups.csv reps.csv OUT_DIR B_SAME B_LARGE SEED
# groups.csv: replicate (1-based), time, event; reps.csv: replicate, cost, gain.
# Writes, with 17 significant digits:
#   km.csv        survfit of all groups: time, n_risk, n_event, surv at each event time
#   a_index.csv   boot's own resamples (B_SAME rows of replicate indices, 1-based)
#   a_t.csv       the statistics on each of them: s12, s36, s60, risk12, risk36, ratio
#   a_ci.csv      per statistic: sd(t) and boot.ci(type = "perc") at 95%
#   b_ci.csv      the same from B_LARGE resamples, for the ratio (another RNG than berdaya's)
suppressPackageStartupMessages({
  library(survival)
  library(boot)
})
args <- commandArgs(trailingOnly = TRUE)
stopifnot(length(args) == 6)
g <- read.csv(args[1])
reps <- read.csv(args[2])
out <- args[3]
b_same <- as.integer(args[4])
b_large <- as.integer(args[5])
set.seed(as.integer(args[6]))
num <- function(x) sprintf("%.17g", x)
write <- function(d, name) write.csv(d, file.path(out, name), row.names = FALSE, quote = FALSE)
by_rep <- split(g, g$replicate)
n <- nrow(reps)
stopifnot(length(by_rep) == n)

fit <- survfit(Surv(time, event) ~ 1, data = g)
i <- fit$n.event > 0
write(data.frame(time = num(fit$time[i]), n_risk = fit$n.risk[i], n_event = fit$n.event[i], surv = num(fit$surv[i])),
      "km.csv")

# The pooled groups of the chosen replicates (a replicate drawn twice counts twice), and
# survival at 12, 36 and 60 months, carried forward past the last time (extend = TRUE).
pooled <- function(ids) {
  d <- do.call(rbind, by_rep[ids])
  s <- summary(survfit(Surv(time, event) ~ 1, data = d), times = c(12, 36, 60), extend = TRUE)
  c(s$surv, s$n.risk[1:2])
}
statistic <- function(ids, i) {
  k <- ids[i]
  c(pooled(k), sum(reps$cost[k]) / sum(reps$gain[k]))
}
names_a <- c("s12", "s36", "s60", "risk12", "risk36", "ratio")
a <- boot(seq_len(n), statistic, R = b_same)
write(as.data.frame(boot.array(a, indices = TRUE)), "a_index.csv")
t <- as.data.frame(lapply(seq_along(names_a), function(j) num(a$t[, j])))
names(t) <- names_a
write(t, "a_t.csv")
ci <- function(b, j) {
  p <- boot.ci(b, conf = 0.95, type = "perc", index = j)$percent
  c(sd(b$t[, j]), p[4], p[5])
}
rows <- c(1, 2, 6)  # statistics that vary between resamples
a_ci <- t(sapply(rows, function(j) ci(a, j)))
write(data.frame(statistic = names_a[rows], se = num(a_ci[, 1]), lo = num(a_ci[, 2]), hi = num(a_ci[, 3])), "a_ci.csv")

b <- boot(seq_len(n), function(ids, i) sum(reps$cost[ids[i]]) / sum(reps$gain[ids[i]]), R = b_large)
b_ci <- ci(b, 1)
write(data.frame(statistic = "ratio", se = num(b_ci[1]), lo = num(b_ci[2]), hi = num(b_ci[3])), "b_ci.csv")
