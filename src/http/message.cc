#include "http/message.h"

namespace kilde::http {
namespace {
std::optional<std::string> Find(const Params& ps, std::string_view name) {
  for (const auto& [k, v] : ps)
    if (k == name) return v;
  return std::nullopt;
}
}  // namespace

std::optional<std::string> Request::Query(std::string_view name) const { return Find(query, name); }
std::string Request::Header(std::string_view name) const { return Find(headers, name).value_or(""); }
std::string Request::PathParam(std::string_view name) const { return Find(path_params, name).value_or(""); }

}  // namespace kilde::http
