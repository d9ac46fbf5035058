# Reference values from R's survival package for reference/km_vs_r_survival:
# Kaplan-Meier with Greenwood std.err and the log, log-log and plain 95% bands, and the
# Aalen-Johansen cumulative incidence of each cause (multi-state survfit, fit$pstate).
# Usage: Rscript km_reference.R data.csv km.csv cif.csv
# data.csv has columns time, cause (0 = censored, 1 and 2 = causes). Output is written with
# 17 significant digits, so the comparison is not limited by printing.
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
stopifnot(length(args) == 3)
d <- read.csv(args[1])
num <- function(x) sprintf("%.17g", x)

fits <- lapply(c(log = "log", log_log = "log-log", plain = "plain"),
               function(ct) survfit(Surv(time, cause > 0) ~ 1, data = d, conf.type = ct))
base <- fits$log
i <- base$n.event > 0  # event times only; survfit also lists censoring times
km <- data.frame(time = num(base$time[i]), n_risk = base$n.risk[i], n_event = base$n.event[i],
                 surv = num(base$surv[i]), std_err = num(base$std.err[i]))
for (ct in names(fits)) {
  km[[paste0(ct, "_lower")]] <- num(fits[[ct]]$lower[i])
  km[[paste0(ct, "_upper")]] <- num(fits[[ct]]$upper[i])
}
write.csv(km, args[2], row.names = FALSE, quote = FALSE)

# With a factor status whose first level is censoring, survfit fits the competing-risks
# chain; pstate holds the probability of each state: (s0) = event-free, then each cause.
ms <- survfit(Surv(time, factor(cause)) ~ 1, data = d)
stopifnot(identical(ms$states, c("(s0)", "1", "2")))
j <- rowSums(ms$n.event) > 0
cif <- data.frame(time = num(ms$time[j]), n_risk = ms$n.risk[j, 1], surv = num(ms$pstate[j, 1]),
                  cif1 = num(ms$pstate[j, 2]), cif2 = num(ms$pstate[j, 3]))
write.csv(cif, args[3], row.names = FALSE, quote = FALSE)
