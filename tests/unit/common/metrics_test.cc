#include "common/metrics.h"

#include <gtest/gtest.h>

namespace wifgate {
namespace {

TEST(Metrics, CountersAndHistogramsRenderInPrometheusFormat) {
  Metrics m;
  auto& logins = m.Counter("wifgate_logins_total", "Login attempts.", {"provider", "outcome"});
  logins.Increment({"AWS", "success"});
  logins.Increment({"AWS", "success"});
  logins.Increment({"GCP", "failure"});
  EXPECT_EQ(logins.Value({"AWS", "success"}), 2u);
  EXPECT_EQ(&m.Counter("wifgate_logins_total", "", {}), &logins);

  auto& latency =
      m.Histogram("wifgate_verify_seconds", "Verification time.", {"provider"}, {0.01, 0.1, 1});
  latency.Observe({"AWS"}, 0.05);
  latency.Observe({"AWS"}, 5);
  EXPECT_EQ(latency.Count({"AWS"}), 2u);

  std::string text = m.RenderPrometheus();
  EXPECT_NE(text.find("# TYPE wifgate_logins_total counter"), std::string::npos);
  EXPECT_NE(text.find("wifgate_logins_total{provider=\"AWS\",outcome=\"success\"} 2"),
            std::string::npos);
  EXPECT_NE(text.find("wifgate_verify_seconds_bucket{provider=\"AWS\",le=\"0.01\"} 0"),
            std::string::npos);
  EXPECT_NE(text.find("wifgate_verify_seconds_bucket{provider=\"AWS\",le=\"0.1\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("wifgate_verify_seconds_bucket{provider=\"AWS\",le=\"+Inf\"} 2"),
            std::string::npos);
  EXPECT_NE(text.find("wifgate_verify_seconds_count{provider=\"AWS\"} 2"), std::string::npos);
}

TEST(Metrics, LabelValuesAreEscaped) {
  Metrics m;
  m.Counter("c", "h", {"l"}).Increment({"a\"b\\c\nd"});
  EXPECT_NE(m.RenderPrometheus().find("c{l=\"a\\\"b\\\\c\\nd\"} 1"), std::string::npos);
}

}  // namespace
}  // namespace wifgate
