#include "access/grant.h"

#include <algorithm>

#include "base/norwegian_ids.h"

namespace kilde::access {
namespace {

using nlohmann::json;

constexpr size_t kMaxPurpose = 2000;  // code points
constexpr size_t kMaxLaw = 500;
constexpr size_t kMaxParagraph = 200;
constexpr size_t kMaxUrl = 2048;

size_t CodePoints(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool Blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

// A required non-blank string of at most `max` code points at `field`; "" (with a problem) if not.
std::string Text(const json& obj, const std::string& key, const std::string& field, size_t max,
                 std::vector<FieldProblem>& problems) {
  if (!obj.contains(key) || obj[key].is_null()) {
    problems.push_back({field, "required", ""});
    return "";
  }
  if (!obj[key].is_string()) {
    problems.push_back({field, "wrong_type", "expected a string"});
    return "";
  }
  std::string s = obj[key].get<std::string>();
  if (Blank(s)) problems.push_back({field, "required", "must not be empty"});
  if (CodePoints(s) > max)
    problems.push_back({field, "too_long", "at most " + std::to_string(max) + " characters"});
  return s;
}

store::LegalBasis ReadLegalBasis(const json& body, std::vector<FieldProblem>& problems) {
  store::LegalBasis lb;
  if (!body.contains("legal_basis") || body["legal_basis"].is_null()) {
    problems.push_back({"legal_basis", "required", "{\"law\": ..., \"paragraph\": ..., \"url\": ...}"});
    return lb;
  }
  const json& v = body["legal_basis"];
  if (!v.is_object()) {
    problems.push_back({"legal_basis", "wrong_type", "expected an object with law, paragraph and url"});
    return lb;
  }
  for (auto it = v.begin(); it != v.end(); ++it)
    if (it.key() != "law" && it.key() != "paragraph" && it.key() != "url")
      problems.push_back(
          {"legal_basis." + it.key(), "unknown_field", "a legal basis has law, paragraph and url"});
  lb.law = Text(v, "law", "legal_basis.law", kMaxLaw, problems);
  lb.paragraph = Text(v, "paragraph", "legal_basis.paragraph", kMaxParagraph, problems);
  lb.url = Text(v, "url", "legal_basis.url", kMaxUrl, problems);
  if (!lb.url.empty() && ((!lb.url.starts_with("https://") && !lb.url.starts_with("http://")) ||
                          lb.url.find_first_of(" \t\r\n") != std::string::npos))
    problems.push_back({"legal_basis.url", "invalid_format", "an absolute http(s) URL"});
  return lb;
}

// The terms of a new grant or request: defaults, then the members present, then the checks.
Terms ReadNewTerms(const json& body, const products::Schema& schema, const std::string& now,
                   std::vector<FieldProblem>& problems) {
  Terms t;
  t.valid_from = now;
  const size_t before = problems.size();  // problems of other members do not stop the schema check
  for (std::string_view key : kTermFields) {
    const std::string k(key);
    if (body.contains(k) && !(k == "valid_from" && body[k].is_null())) ReadTerm(k, body[k], t, problems);
  }
  if (problems.size() == before) CheckTerms(schema, now, t, problems);
  return t;
}

void CheckMembers(const json& body, bool with_grantee, std::vector<FieldProblem>& problems) {
  for (auto it = body.begin(); it != body.end(); ++it)
    if (!IsTermField(it.key()) && it.key() != "purpose" && it.key() != "legal_basis" &&
        !(with_grantee && it.key() == "grantee_orgnr"))
      problems.push_back(
          {it.key(), "unknown_field",
           std::string(with_grantee ? "a grant has grantee_orgnr, " : "a request has ") +
               "purpose, legal_basis, client_id, columns, row_filter, personal_data, valid_from "
               "and valid_to"});
}

json Opt(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }
json OptColumns(const std::optional<std::vector<std::string>>& v) { return v ? json(*v) : json(nullptr); }
json LegalBasisJson(const store::LegalBasis& lb) {
  return {{"law", lb.law}, {"paragraph", lb.paragraph}, {"url", lb.url}};
}
json ActorJson(const store::Actor& a) {
  if (a.orgnr.empty() && a.client_id.empty()) return nullptr;
  return {{"orgnr", a.orgnr}, {"client_id", a.client_id.empty() ? json(nullptr) : json(a.client_id)}};
}

}  // namespace

Result<store::GrantRow> ParseGrant(const json& body, const products::Schema& schema, const std::string& now) {
  if (!body.is_object())
    return Status::Invalid("the request body must be a JSON object", {{"", "wrong_type", ""}});
  std::vector<FieldProblem> problems;
  CheckMembers(body, true, problems);
  store::GrantRow g;
  if (!body.contains("grantee_orgnr") || body["grantee_orgnr"].is_null()) {
    problems.push_back(
        {"grantee_orgnr", "required", "the organisation number of the organisation given access"});
  } else if (!body["grantee_orgnr"].is_string()) {
    problems.push_back({"grantee_orgnr", "wrong_type", "expected a string of 9 digits"});
  } else {
    g.grantee_orgnr = body["grantee_orgnr"].get<std::string>();
    if (auto p = OrganizationNumberProblem(g.grantee_orgnr))
      problems.push_back({"grantee_orgnr",
                          p->defect == IdDefect::kChecksum ? "invalid_checksum" : "invalid_format",
                          p->reason});
  }
  g.purpose = Text(body, "purpose", "purpose", kMaxPurpose, problems);
  g.legal_basis = ReadLegalBasis(body, problems);
  Terms t = ReadNewTerms(body, schema, now, problems);
  if (!problems.empty()) return Status::Invalid("access grant is not valid", std::move(problems));
  SetTerms(t, g);
  return g;
}

Result<store::AccessRequestRow> ParseRequest(const json& body, const products::Schema& schema,
                                             const std::string& now) {
  if (!body.is_object())
    return Status::Invalid("the request body must be a JSON object", {{"", "wrong_type", ""}});
  std::vector<FieldProblem> problems;
  CheckMembers(body, false, problems);
  store::AccessRequestRow r;
  r.purpose = Text(body, "purpose", "purpose", kMaxPurpose, problems);
  r.legal_basis = ReadLegalBasis(body, problems);
  Terms t = ReadNewTerms(body, schema, now, problems);
  if (!problems.empty()) return Status::Invalid("access request is not valid", std::move(problems));
  SetTerms(t, r);
  return r;
}

std::string GrantStatus(const store::GrantRow& g, const std::string& now) {
  if (g.revoked_at) return "revoked";
  if (g.valid_to && *g.valid_to <= now) return "expired";
  if (now < g.valid_from) return "scheduled";
  return "active";
}

json GrantJson(const store::GrantRow& g, const std::string& now) {
  json j = GrantFixedMembers(g, now);
  j["client_id"] = Opt(g.client_id);
  j["valid_from"] = g.valid_from;
  j["valid_to"] = Opt(g.valid_to);
  j["columns"] = OptColumns(g.columns);
  j["row_filter"] = g.row_filter;
  j["personal_data"] = g.personal_data;
  return j;
}

json GrantFixedMembers(const store::GrantRow& g, const std::string& now) {
  // pseudonym_key is deliberately absent: it never leaves the server.
  return {{"id", g.id},
          {"product", g.product},
          {"grantee_orgnr", g.grantee_orgnr},
          {"purpose", g.purpose},
          {"legal_basis", LegalBasisJson(g.legal_basis)},
          {"status", GrantStatus(g, now)},
          {"created", g.created},
          {"created_by", ActorJson(g.created_by)},
          {"revoked_at", Opt(g.revoked_at)},
          {"revoked_by", ActorJson(g.revoked_by)},
          {"request_id", Opt(g.request_id)},
          {"version", g.version}};
}

json RequestJson(const store::AccessRequestRow& r, const std::vector<store::AccessRequestEvent>* events) {
  json j = {{"id", r.id},
            {"product", r.product},
            {"requester_orgnr", r.requester_orgnr},
            {"client_id", Opt(r.client_id)},
            {"purpose", r.purpose},
            {"legal_basis", LegalBasisJson(r.legal_basis)},
            {"columns", OptColumns(r.columns)},
            {"row_filter", r.row_filter},
            {"personal_data", r.personal_data},
            {"valid_from", r.valid_from},
            {"valid_to", Opt(r.valid_to)},
            {"state", r.state},
            {"reason", r.reason.empty() ? json(nullptr) : json(r.reason)},
            {"grant_id", Opt(r.grant_id)},
            {"created", r.created},
            {"updated", r.updated},
            {"version", r.version}};
  if (events) {
    json list = json::array();
    for (const auto& e : *events)
      list.push_back({{"seq", e.seq},
                      {"from_state", e.from_state.empty() ? json(nullptr) : json(e.from_state)},
                      {"to_state", e.to_state},
                      {"actor", ActorJson(e.actor)},
                      {"time", e.time},
                      {"reason", e.reason.empty() ? json(nullptr) : json(e.reason)}});
    j["events"] = std::move(list);
  }
  return j;
}

}  // namespace kilde::access
