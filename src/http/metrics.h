// Request metrics in Prometheus text format. Thread safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace kilde::http {

class Metrics {
 public:
  // Records one finished request. `route` is the route pattern, `seconds` the
  // time from the request's arrival to its response being written.
  void Observe(const std::string& route, const std::string& method, int status, double seconds);
  // The exposition text (version 0.0.4), plus `extra` lines appended verbatim.
  std::string Render(const std::string& extra) const;

  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  5.0};

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
};

}  // namespace kilde::http
