#include "http/metrics.h"

#include <fmt/format.h>

namespace kilde::http {
namespace {
std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}
}  // namespace

void Metrics::Observe(const std::string& route, const std::string& method, int status, double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{route, method, status}];
  Histogram& h = latency_[route];
  for (size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  ++h.count;
  h.sum += seconds;
}

std::string Metrics::Render(const std::string& extra) const {
  std::string out;
  std::lock_guard lock(mu_);
  out += "# HELP kilde_http_requests_total HTTP requests by route pattern, method and status.\n";
  out += "# TYPE kilde_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [route, method, status] = key;
    out += fmt::format("kilde_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                       Escape(route), Escape(method), status, n);
  }
  out += "# HELP kilde_http_request_duration_seconds Time to answer a request, by route pattern.\n";
  out += "# TYPE kilde_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    for (size_t i = 0; i < kBuckets.size(); ++i)
      out += fmt::format("kilde_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                         Escape(route), kBuckets[i], h.buckets[i]);
    out += fmt::format("kilde_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
                       Escape(route), h.count);
    out += fmt::format("kilde_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", Escape(route), h.sum);
    out +=
        fmt::format("kilde_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", Escape(route), h.count);
  }
  out += extra;
  return out;
}

}  // namespace kilde::http
