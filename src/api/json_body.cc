#include "api/json_body.h"

#include "http/error_response.h"
#include "http/query.h"

#include "http/error_response.h"

#include <algorithm>
#include <charconv>

namespace kilde::api {
namespace {
std::string LowerNoSpace(std::string_view in) {
  std::string out;
  for (unsigned char c : in)
    if (!std::isspace(c) && c != '"') out.push_back(static_cast<char>(std::tolower(c)));
  return out;
}
}  // namespace

std::string MediaType(std::string_view content_type) {
  return LowerNoSpace(content_type.substr(0, content_type.find(';')));
}

std::string MediaTypeParam(std::string_view content_type, std::string_view name) {
  size_t pos = content_type.find(';');
  while (pos != std::string_view::npos) {
    const size_t next = content_type.find(';', pos + 1);
    std::string_view part =
        content_type.substr(pos + 1, next == std::string_view::npos ? next : next - pos - 1);
    const size_t eq = part.find('=');
    if (eq != std::string_view::npos && LowerNoSpace(part.substr(0, eq)) == name)
      return LowerNoSpace(part.substr(eq + 1));
    pos = next;
  }
  return "";
}

std::optional<int> ParseIntIn(std::string_view text, int lo, int hi) {
  int n = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || p != text.data() + text.size() || n < lo || n > hi) return std::nullopt;
  return n;
}

Result<nlohmann::json> ParseJson(const std::string& text, const std::string& what) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    size_t offset = e.byte == 0 ? 0 : e.byte - 1;
    offset = std::min(offset, text.size());
    size_t line = 1 + std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n');
    size_t line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
    size_t column = offset - (line_start == std::string::npos || offset == 0 ? 0 : line_start + 1) + 1;
    if (text.empty()) return Status::Invalid(what + " is empty; expected a JSON document");
    return Status::Invalid(what + " is not valid JSON at byte " + std::to_string(offset) + " (line " +
                           std::to_string(line) + ", column " + std::to_string(column) +
                           "): " + std::string(e.what()).substr(std::string(e.what()).find(':') + 2));
  }
}

Result<nlohmann::json> ParseJsonBody(const http::Request& req, const std::string& also_accepted) {
  const std::string ct = req.Header("content-type");
  const std::string mt = MediaType(ct);
  if (mt != "application/json" && (also_accepted.empty() || mt != also_accepted)) {
    return Status(Code::kUnsupported, "Content-Type must be application/json" +
                                          (also_accepted.empty() ? "" : " or " + also_accepted) +
                                          (ct.empty() ? " (none was sent)" : ", not " + ct));
  }
  return ParseJson(req.body, "the request body");
}

Result<std::optional<int64_t>> IfMatchVersion(const http::Request& req) {
  std::string v = req.Header("if-match");
  if (v.empty() || v == "*") return std::optional<int64_t>();
  if (v.rfind("W/", 0) == 0) v = v.substr(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  // "3.<hex>": a dataset's ETag that also covers its data products; the version is the 3.
  if (size_t dot = v.find('.');
      dot != std::string::npos && v.find_first_not_of("0123456789abcdef", dot + 1) == std::string::npos)
    v = v.substr(0, dot);
  int64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size() || n < 1)
    return Status::Invalid("If-Match must be an ETag from this API, e.g. \"3\"",
                           {{"If-Match", "invalid_format", "expected a quoted version number"}});
  return std::optional<int64_t>(n);
}

std::string VersionETag(const nlohmann::json& doc) {
  return "\"" + std::to_string(doc.value("version", 0)) + "\"";
}

http::Response VersionedDocResponse(const nlohmann::json& doc, int status) {
  http::Response r = http::JsonResponse(Dump(doc), status);
  r.headers.emplace_back("ETag", VersionETag(doc));
  return r;
}

std::optional<http::Response> RejectUnknownParams(const http::Request& req,
                                                  std::initializer_list<std::string_view> allowed,
                                                  const std::string& hint) {
  std::vector<FieldProblem> problems;
  for (const auto& [name, value] : req.query) {
    bool known = false;
    for (auto a : allowed) known = known || name == a;
    if (!known) problems.push_back({name, "unknown_parameter", hint});
  }
  if (problems.empty()) return std::nullopt;
  std::string message = "unknown query parameter '" + problems[0].field + "'; " + hint;
  return http::FromStatus(Status::Invalid(std::move(message), std::move(problems)));
}

std::string NextPageLink(const http::Request& req, const std::string& public_url, const std::string& cursor) {
  std::string next = public_url + req.path + "?";
  for (const auto& [k, v] : req.query)
    if (k != "cursor") next += http::PercentEncode(k) + "=" + http::PercentEncode(v) + "&";
  return "<" + next + "cursor=" + http::PercentEncode(cursor) + ">; rel=\"next\"";
}

std::string Dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace kilde::api
