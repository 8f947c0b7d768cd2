// Mapping between API documents and store rows.
#include "catalog/service.h"
#include "catalog/validate.h"

namespace kilde::catalog {

store::ResourceRow RowFor(Kind kind, const nlohmann::json& doc) {
  store::ResourceRow r;
  r.kind = std::string(StoreName(kind));
  r.id = doc.value("id", "");
  auto str = [&](const char* k) {
    return doc.contains(k) && doc[k].is_string() ? doc[k].get<std::string>() : "";
  };
  switch (kind) {
    case Kind::kOrganization:
      r.publisher = str("parent");
      break;  // the owning organisation
    case Kind::kPublicService:
      r.publisher = str("competent_authority");
      break;
    default:
      r.publisher = str("publisher");
  }
  r.status = str("status");
  r.access_rights = str("access_rights");
  if (doc.contains("themes") && doc["themes"].is_array())
    for (const auto& t : doc["themes"])
      if (t.is_string()) r.themes.push_back(t.get<std::string>());
  if (doc.contains("los_themes") && doc["los_themes"].is_array())
    for (const auto& t : doc["los_themes"])
      if (t.is_string()) r.themes.push_back(t.get<std::string>());
  for (const auto& ref : Validate(kind, doc).references) {
    store::Ref target{std::string(StoreName(ref.kind)), ref.id};
    if (kind == Kind::kDistribution && ref.kind == Kind::kDataset) {
      r.parent = target;
    } else if (std::find(r.refs.begin(), r.refs.end(), target) == r.refs.end()) {
      r.refs.push_back(std::move(target));
    }
  }
  r.created = str("created");
  r.modified = str("modified");
  r.doc = doc.dump();
  return r;
}

nlohmann::json DocFor(const store::ResourceRow& row) {
  nlohmann::json doc = nlohmann::json::parse(row.doc, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) doc = nlohmann::json::object();
  doc["version"] = row.version;
  return doc;
}

}  // namespace kilde::catalog
