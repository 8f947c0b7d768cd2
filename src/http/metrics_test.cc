#include "http/metrics.h"

#include <gtest/gtest.h>

namespace kilde::http {
namespace {

TEST(Metrics, CountsByRouteAndStatusAndFillsHistogram) {
  Metrics m;
  m.Observe("/api/v1/datasets", "GET", 200, 0.002);
  m.Observe("/api/v1/datasets", "GET", 200, 0.2);
  m.Observe("/api/v1/datasets", "POST", 400, 0.001);
  std::string text = m.Render("extra_metric 1\n");
  EXPECT_NE(
      text.find("kilde_http_requests_total{route=\"/api/v1/datasets\",method=\"GET\",status=\"200\"} 2"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("status=\"400\"} 1"), std::string::npos);
  EXPECT_NE(
      text.find("kilde_http_request_duration_seconds_bucket{route=\"/api/v1/datasets\",le=\"0.0025\"} 2"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("le=\"+Inf\"} 3"), std::string::npos);
  EXPECT_NE(text.find("kilde_http_request_duration_seconds_count{route=\"/api/v1/datasets\"} 3"),
            std::string::npos);
  EXPECT_NE(text.find("extra_metric 1\n"), std::string::npos);
}

}  // namespace
}  // namespace kilde::http
