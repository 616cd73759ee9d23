// Metrics: process-wide counters and histograms, rendered in the Prometheus text format
// by the server's /metrics endpoint.
//
// It lives in common/ so that every layer can count what it does — the verifiers their STS
// and JWKS calls, the server its logins — without depending on the server. Metric objects
// are created once (usually as function-local statics through Metrics::Global()) and are
// cheap to update from any thread.
#ifndef WIFGATE_COMMON_METRICS_H_
#define WIFGATE_COMMON_METRICS_H_

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace wifgate {

// Label values in a fixed order matching the family's label names.
using LabelValues = std::vector<std::string>;

class CounterFamily {
 public:
  void Increment(const LabelValues& labels, uint64_t by = 1);
  uint64_t Value(const LabelValues& labels) const;

 private:
  friend class Metrics;
  CounterFamily(std::string name, std::string help, std::vector<std::string> label_names);
  std::string name_, help_;
  std::vector<std::string> label_names_;
  mutable std::mutex mu_;
  std::map<LabelValues, uint64_t> values_;
};

class HistogramFamily {
 public:
  void Observe(const LabelValues& labels, double value);
  uint64_t Count(const LabelValues& labels) const;

 private:
  friend class Metrics;
  HistogramFamily(std::string name, std::string help, std::vector<std::string> label_names,
                  std::vector<double> bounds);
  struct Series {
    std::vector<uint64_t> buckets;  // cumulative at render time, per-bucket here
    uint64_t count = 0;
    double sum = 0;
  };
  std::string name_, help_;
  std::vector<std::string> label_names_;
  std::vector<double> bounds_;
  mutable std::mutex mu_;
  std::map<LabelValues, Series> series_;
};

class Metrics {
 public:
  static Metrics& Global();

  // Returns the family of that name, creating it on first use. Names follow Prometheus
  // conventions (wifgate_logins_total, wifgate_verify_seconds).
  CounterFamily& Counter(const std::string& name, const std::string& help,
                         std::vector<std::string> label_names);
  HistogramFamily& Histogram(const std::string& name, const std::string& help,
                             std::vector<std::string> label_names, std::vector<double> bounds);

  // All families in the Prometheus text exposition format (version 0.0.4).
  std::string RenderPrometheus() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<CounterFamily>> counters_;
  std::map<std::string, std::unique_ptr<HistogramFamily>> histograms_;
};

}  // namespace wifgate

#endif  // WIFGATE_COMMON_METRICS_H_
