# A comparison file read in R with hdf5r alone, no berdaya code: the scenario names are the
# case coordinate of /series (a string dimension scale), every series has its units and
# long_name, failed runs read as the series' _FillValue. Needs r-cran-hdf5r and fails (does
# not skip) without it.
#   Rscript read_series.R BERDAYA SOURCE_DIR
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2) stop("usage: Rscript read_series.R BERDAYA SOURCE_DIR")
if (!requireNamespace("hdf5r", quietly = TRUE))
  stop("the R package hdf5r is missing: install r-cran-hdf5r (Debian) to run this test")
library(hdf5r)

check <- function(ok, what) if (!isTRUE(ok)) stop("FAILED: ", what, call. = FALSE)

out <- file.path(tempdir(), "levers.h5")
status <- system2(args[1], c("compare", file.path(args[2], "scenarios/experiments/kota-batu-levers.toml"),
                             "--replicates", "2", "--months", "24", "--threads", "2", "--force", "-o", out),
                  stdout = FALSE)
check(status == 0, paste("berdaya compare exited", status))
scenarios <- c("kota-batu", "no-program", "socialization", "training", "monitoring", "recommendations",
               "mentors", "labels", "combined")

f <- H5File$new(out, mode = "r")
check(h5attr(f, "Conventions") == "CF-1.10", "root attribute Conventions")
check(sub("\\..*", "", h5attr(f, "format_version")) == "4", "format_version 4.x")

s <- f[["series"]]
coord <- s[["scenario"]]
names <- coord[]
check(identical(names, scenarios), paste("series/scenario holds", paste(names, collapse = ", ")))
# The coordinate is a dimension scale named after its dimension, as netCDF-4 makes them.
check(h5attr(coord, "CLASS") == "DIMENSION_SCALE", "series/scenario is a dimension scale")
check(h5attr(coord, "NAME") == "scenario", "the scale's dimension name")

active <- s[["groups_active"]]
check(h5attr(active, "units") != "", "series/groups_active has units")
check(nchar(h5attr(active, "long_name")) > 0, "series/groups_active has a long_name")
check(!("description" %in% h5attr_names(active)), "no description attribute (format 4 uses long_name)")
check("DIMENSION_LIST" %in% h5attr_names(active), "series/groups_active has its scales attached")
v <- active[, , ]                                   # R reverses the axes: month x replicate x scenario
check(identical(dim(v), c(24L, 2L, 9L)), paste("dims", paste(dim(v), collapse = " x ")))
dimnames(v) <- list(month = s[["month"]][], replicate = s[["replicate"]][], scenario = names)
check(all(v[, , "no-program"] == 0), "no groups are active without the program")
check(max(v[, , "kota-batu"]) > 0, "groups are active in the baseline")

# Every series carries units and a _FillValue of its own type.
for (n in setdiff(names(s), c("scenario", "replicate", "month"))) {
  d <- s[[n]]
  check("units" %in% h5attr_names(d), paste0("series/", n, " has units"))
  check("_FillValue" %in% h5attr_names(d), paste0("series/", n, " has a _FillValue"))
}
runs <- f[["runs"]]
check(identical(runs[["scenario"]][], scenarios), "runs/scenario holds the scenario names")
check(all(runs[["failed"]][, ] == 0), "no run failed")
check(h5attr(f[["groups/business"]], "flag_meanings") == "livestock food trade services crafts",
      "groups/business flag_meanings")
f$close_all()
cat("hdf5r reads", length(names), "scenarios by name with units\n")
