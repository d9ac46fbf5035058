#include "analysis/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

namespace analysis {

Estimate mean_ci(const std::vector<double>& values, double alpha) {
  Estimate e;
  double sum = 0, sq = 0;
  for (double v : values)
    if (std::isfinite(v)) {
      sum += v;
      ++e.n;
    }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (e.n == 0) return {nan, nan, nan, 0};
  e.mean = sum / e.n;
  if (e.n == 1) {
    e.lo = e.hi = e.mean;
    return e;
  }
  for (double v : values)
    if (std::isfinite(v)) sq += (v - e.mean) * (v - e.mean);
  const double se = std::sqrt(sq / (e.n - 1) / e.n);
  const boost::math::students_t dist(e.n - 1);
  const double t = boost::math::quantile(boost::math::complement(dist, alpha / 2));
  e.lo = e.mean - t * se;
  e.hi = e.mean + t * se;
  return e;
}

Estimate paired_diff(const std::vector<double>& a, const std::vector<double>& b, double alpha) {
  if (a.size() != b.size()) throw std::invalid_argument("paired_diff: a and b differ in length");
  std::vector<double> d;
  d.reserve(a.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::isfinite(a[i]) && std::isfinite(b[i])) d.push_back(a[i] - b[i]);
  return mean_ci(d, alpha);
}

namespace {

struct Moments {
  double mean = 0, var = 0;  // var: sample variance, n - 1 denominator
  int n = 0;
};

// Two passes, so the variance does not lose precision to cancellation.
Moments finite_moments(const std::vector<double>& v) {
  Moments m;
  double sum = 0;
  for (double x : v)
    if (std::isfinite(x)) {
      sum += x;
      ++m.n;
    }
  if (m.n == 0) return m;
  m.mean = sum / m.n;
  double sq = 0;
  for (double x : v)
    if (std::isfinite(x)) sq += (x - m.mean) * (x - m.mean);
  if (m.n > 1) m.var = sq / (m.n - 1);
  return m;
}

}  // namespace

Estimate unpaired_diff(const std::vector<double>& a, const std::vector<double>& b, double alpha) {
  const Moments ma = finite_moments(a), mb = finite_moments(b);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Estimate e{nan, nan, nan, ma.n + mb.n};
  if (ma.n < 2 || mb.n < 2) return e;
  e.mean = ma.mean - mb.mean;
  // Welch (1947): se^2 = s_a^2/n_a + s_b^2/n_b; Satterthwaite (1946) degrees of freedom
  // df = se^4 / ((s_a^2/n_a)^2/(n_a-1) + (s_b^2/n_b)^2/(n_b-1)), as R's t.test(var.equal=FALSE).
  const double qa = ma.var / ma.n, qb = mb.var / mb.n;
  const double se2 = qa + qb;
  if (se2 == 0) {
    e.lo = e.hi = e.mean;
    return e;
  }
  const double df = se2 * se2 / (qa * qa / (ma.n - 1) + qb * qb / (mb.n - 1));
  const boost::math::students_t dist(df);
  const double t = boost::math::quantile(boost::math::complement(dist, alpha / 2));
  e.lo = e.mean - t * std::sqrt(se2);
  e.hi = e.mean + t * std::sqrt(se2);
  return e;
}

std::vector<SurvivalPoint> kaplan_meier(const std::vector<double>& time, const std::vector<int>& event) {
  std::vector<std::size_t> idx(time.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return time[a] < time[b]; });
  std::vector<SurvivalPoint> out;
  double s = 1.0, greenwood = 0.0;
  int at_risk = static_cast<int>(time.size());
  for (std::size_t i = 0; i < idx.size();) {
    const double t = time[idx[i]];
    int d = 0, c = 0;
    for (; i < idx.size() && time[idx[i]] == t; ++i) (event[idx[i]] ? d : c)++;
    if (d > 0) {
      s *= 1.0 - static_cast<double>(d) / at_risk;
      if (at_risk > d) greenwood += static_cast<double>(d) / (static_cast<double>(at_risk) * (at_risk - d));
      out.push_back({t, s, s * s * greenwood, at_risk, d});
    }
    at_risk -= d + c;
  }
  return out;
}

double survival_at(const std::vector<SurvivalPoint>& curve, double t, double max_follow_up) {
  // Once every subject has had the event, S stays 0 for all later times.
  if (!curve.empty() && curve.back().survival <= 0 && t >= curve.back().time) return 0.0;
  if (t > max_follow_up) return std::numeric_limits<double>::quiet_NaN();
  double s = 1.0;
  for (const auto& p : curve) {
    if (p.time > t) break;
    s = p.survival;
  }
  return s;
}

double log_survival_se(const SurvivalPoint& p) {
  // Greenwood (1926): var(S) = S^2 sum d/(n(n-d)), so se(log S) = sqrt(var(S)) / S by the
  // delta method. kaplan_meier leaves out the term where everyone at risk has the event
  // (n = d); there S = 0 and the sum, as in R, is infinite.
  if (p.survival <= 0) return std::numeric_limits<double>::infinity();
  return std::sqrt(p.variance) / p.survival;
}

std::vector<Band> survival_band(const std::vector<SurvivalPoint>& curve, double level, BandType type) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double z = boost::math::quantile(boost::math::normal(), 1 - (1 - level) / 2);
  std::vector<Band> out;
  out.reserve(curve.size());
  // The three transforms as R survival's survfit_confint computes them; plain is Klein &
  // Moeschberger (2003) eq. 4.3.1, log-log is from Kalbfleisch & Prentice (1980).
  for (const auto& p : curve) {
    const double s = p.survival, se = log_survival_se(p);
    if (s <= 0) {
      out.push_back({nan, nan});
      continue;
    }
    switch (type) {
      case BandType::plain: {
        const double w = z * se * s;
        out.push_back({std::max(s - w, 0.0), std::min(s + w, 1.0)});
        break;
      }
      case BandType::log:
        out.push_back({std::exp(std::log(s) - z * se), std::min(std::exp(std::log(s) + z * se), 1.0)});
        break;
      case BandType::log_log: {
        if (s >= 1) {
          out.push_back({nan, nan});
          break;
        }
        // se(log(-log S)) = se(log S) / |log S|; log S < 0, so w < 0 and lo < hi.
        const double w = z * se / std::log(s), ll = std::log(-std::log(s));
        out.push_back({std::exp(-std::exp(ll - w)), std::exp(-std::exp(ll + w))});
        break;
      }
    }
  }
  return out;
}

namespace {

// Aalen & Johansen (1978) for the competing-risks chain, in the form given by Kalbfleisch &
// Prentice (2002, ch. 8) and Putter, Fiocco & Geskus (2007): CIF_k(t) = sum over event
// times t_j <= t of S(t_j-) d_kj / n_j. next(t, d, c) gives the next time in increasing
// order, its events by cause and its censored, and false when none is left.
template <typename Next>
std::vector<CumulativeIncidence> aalen_johansen(long long subjects, std::size_t K, Next&& next) {
  if (subjects > std::numeric_limits<int>::max())
    throw std::invalid_argument("cumulative_incidence: more than 2,147,483,647 subjects");
  std::vector<CumulativeIncidence> out;
  std::vector<double> cif(K, 0.0);
  double s = 1.0;  // all-cause S(t-) entering each time
  auto at_risk = static_cast<int>(subjects);
  double t = 0;
  std::vector<int> d(K, 0);
  int c = 0;
  while (next(t, d, c)) {
    const int d_all = std::accumulate(d.begin(), d.end(), 0);
    if (d_all > 0) {
      for (std::size_t k = 0; k < K; ++k) cif[k] += s * d[k] / at_risk;
      s *= 1.0 - static_cast<double>(d_all) / at_risk;
      out.push_back({t, s, cif, at_risk, d});
    }
    at_risk -= d_all + c;
  }
  return out;
}

}  // namespace

std::vector<CumulativeIncidence> cumulative_incidence(const std::vector<double>& time, const std::vector<int>& cause,
                                                      int n_causes) {
  if (time.size() != cause.size()) throw std::invalid_argument("cumulative_incidence: time and cause differ in length");
  if (n_causes < 1) throw std::invalid_argument("cumulative_incidence: n_causes must be at least 1");
  for (int c : cause)
    if (c < 0 || c > n_causes) throw std::invalid_argument("cumulative_incidence: cause outside 0..n_causes");
  std::vector<std::size_t> idx(time.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return time[a] < time[b]; });
  std::size_t i = 0;
  return aalen_johansen(static_cast<long long>(time.size()), static_cast<std::size_t>(n_causes),
                        [&](double& t, std::vector<int>& d, int& c) {
                          if (i == idx.size()) return false;
                          t = time[idx[i]];
                          std::fill(d.begin(), d.end(), 0);
                          c = 0;
                          for (; i < idx.size() && time[idx[i]] == t; ++i) {
                            const int k = cause[idx[i]];
                            if (k == 0)
                              ++c;
                            else
                              ++d[static_cast<std::size_t>(k - 1)];
                          }
                          return true;
                        });
}

std::vector<CumulativeIncidence> cumulative_incidence(const std::vector<long long>& ends, int n_causes) {
  if (n_causes < 1) throw std::invalid_argument("cumulative_incidence: n_causes must be at least 1");
  const auto kinds = static_cast<std::size_t>(n_causes) + 1;
  if (ends.size() % kinds != 0)
    throw std::invalid_argument("cumulative_incidence: the table's size is not a multiple of n_causes + 1");
  long long subjects = 0;
  for (const long long n : ends) {
    if (n < 0) throw std::invalid_argument("cumulative_incidence: a negative count");
    subjects += n;
  }
  std::size_t row = 0;
  return aalen_johansen(subjects, kinds - 1, [&](double& t, std::vector<int>& d, int& c) {
    for (; row < ends.size() / kinds; ++row) {
      const long long* at = ends.data() + row * kinds;
      if (std::any_of(at, at + kinds, [](long long n) { return n > 0; })) break;  // a time someone has
    }
    if (row == ends.size() / kinds) return false;
    const long long* at = ends.data() + row * kinds;
    t = static_cast<double>(row);
    c = static_cast<int>(at[0]);
    for (std::size_t k = 1; k < kinds; ++k) d[k - 1] = static_cast<int>(at[k]);
    ++row;
    return true;
  });
}

}  // namespace analysis
