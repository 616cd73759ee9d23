#include "common/metrics.h"

#include <charconv>

namespace wifgate {
namespace {

// Prometheus label values escape backslash, double quote and newline.
std::string EscapeLabel(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Labels(const std::vector<std::string>& names, const LabelValues& values,
                   const std::string& extra = {}) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
    out += out.empty() ? "" : ",";
    out += names[i] + "=\"" + EscapeLabel(values[i]) + "\"";
  }
  if (!extra.empty()) out += (out.empty() ? "" : ",") + extra;
  return out.empty() ? "" : "{" + out + "}";
}

// Shortest text that reads back as the same double ("0.1", not "0.10000000000000001").
std::string Number(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : "NaN";
}

}  // namespace

CounterFamily::CounterFamily(std::string name, std::string help,
                             std::vector<std::string> label_names)
    : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)) {}

void CounterFamily::Increment(const LabelValues& labels, uint64_t by) {
  std::lock_guard lock(mu_);
  values_[labels] += by;
}

uint64_t CounterFamily::Value(const LabelValues& labels) const {
  std::lock_guard lock(mu_);
  auto it = values_.find(labels);
  return it == values_.end() ? 0 : it->second;
}

HistogramFamily::HistogramFamily(std::string name, std::string help,
                                 std::vector<std::string> label_names, std::vector<double> bounds)
    : name_(std::move(name)),
      help_(std::move(help)),
      label_names_(std::move(label_names)),
      bounds_(std::move(bounds)) {}

void HistogramFamily::Observe(const LabelValues& labels, double value) {
  std::lock_guard lock(mu_);
  Series& s = series_[labels];
  if (s.buckets.empty()) s.buckets.assign(bounds_.size(), 0);
  for (size_t i = 0; i < bounds_.size(); ++i) {
    if (value <= bounds_[i]) {
      ++s.buckets[i];
      break;
    }
  }
  ++s.count;
  s.sum += value;
}

uint64_t HistogramFamily::Count(const LabelValues& labels) const {
  std::lock_guard lock(mu_);
  auto it = series_.find(labels);
  return it == series_.end() ? 0 : it->second.count;
}

Metrics& Metrics::Global() {
  static Metrics* metrics = new Metrics();
  return *metrics;
}

CounterFamily& Metrics::Counter(const std::string& name, const std::string& help,
                                std::vector<std::string> label_names) {
  std::lock_guard lock(mu_);
  auto& slot = counters_[name];
  if (!slot) slot.reset(new CounterFamily(name, help, std::move(label_names)));
  return *slot;
}

HistogramFamily& Metrics::Histogram(const std::string& name, const std::string& help,
                                    std::vector<std::string> label_names,
                                    std::vector<double> bounds) {
  std::lock_guard lock(mu_);
  auto& slot = histograms_[name];
  if (!slot) slot.reset(new HistogramFamily(name, help, std::move(label_names), std::move(bounds)));
  return *slot;
}

std::string Metrics::RenderPrometheus() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& [name, family] : counters_) {
    out += "# HELP " + name + " " + family->help_ + "\n# TYPE " + name + " counter\n";
    std::lock_guard family_lock(family->mu_);
    for (const auto& [labels, value] : family->values_) {
      out += name + Labels(family->label_names_, labels) + " " + std::to_string(value) + "\n";
    }
  }
  for (const auto& [name, family] : histograms_) {
    out += "# HELP " + name + " " + family->help_ + "\n# TYPE " + name + " histogram\n";
    std::lock_guard family_lock(family->mu_);
    for (const auto& [labels, series] : family->series_) {
      uint64_t cumulative = 0;
      for (size_t i = 0; i < family->bounds_.size(); ++i) {
        cumulative += series.buckets[i];
        out += name + "_bucket" +
               Labels(family->label_names_, labels, "le=\"" + Number(family->bounds_[i]) + "\"") +
               " " + std::to_string(cumulative) + "\n";
      }
      out += name + "_bucket" + Labels(family->label_names_, labels, "le=\"+Inf\"") + " " +
             std::to_string(series.count) + "\n";
      out += name + "_sum" + Labels(family->label_names_, labels) + " " + Number(series.sum) + "\n";
      out += name + "_count" + Labels(family->label_names_, labels) + " " +
             std::to_string(series.count) + "\n";
    }
  }
  return out;
}

}  // namespace wifgate
