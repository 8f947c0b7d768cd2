// CatalogService::Import: the all-or-nothing bulk load behind `kilde catalog import`
// and `kilde serve --demo`.
#include <set>

#include "base/time.h"
#include "catalog/service.h"
#include "catalog/validate.h"

namespace kilde::catalog {

Result<nlohmann::json> CatalogService::Import(const nlohmann::json& file) {
  if (!file.is_object())
    return Status::Invalid("an import file must be a JSON object with arrays per kind",
                           {{"", "wrong_type", ""}});
  std::vector<FieldProblem> problems;
  for (auto it = file.begin(); it != file.end(); ++it) {
    if (!KindFromStoreName(it.key()))
      problems.push_back(
          {it.key(), "unknown_field",
           "expected organizations, datasets, distributions, data_services, concepts or public_services"});
    else if (!it.value().is_array())
      problems.push_back({it.key(), "wrong_type", "expected an array"});
  }
  if (!problems.empty()) return Status::Invalid("the import file is not valid", std::move(problems));

  // Every (kind, id) the file defines, so that references between its resources resolve.
  std::vector<std::pair<Kind, std::string>> pending;
  std::set<std::pair<Kind, std::string>> seen;
  for (Kind k : kAllKinds) {
    auto key = std::string(StoreName(k));
    if (!file.contains(key)) continue;
    const auto& arr = file[key];
    for (size_t i = 0; i < arr.size(); ++i) {
      const std::string at = key + "[" + std::to_string(i) + "]";
      if (!arr[i].is_object() || !arr[i].contains("id") || !arr[i]["id"].is_string()) {
        problems.push_back({at + ".id", "required", "every imported resource needs an id"});
        continue;
      }
      auto entry = std::make_pair(k, arr[i]["id"].get<std::string>());
      if (!seen.insert(entry).second)
        problems.push_back({at + ".id", "conflict", "id '" + entry.second + "' appears twice"});
      pending.push_back(entry);
    }
  }

  const std::string now = NowRfc3339();
  std::vector<store::ResourceRow> rows;
  nlohmann::json counts = nlohmann::json::object();
  for (Kind k : kAllKinds) {
    auto key = std::string(StoreName(k));
    if (!file.contains(key)) continue;
    const auto& arr = file[key];
    counts[key] = arr.size();
    for (size_t i = 0; i < arr.size(); ++i) {
      nlohmann::json doc = arr[i];
      if (!doc.is_object()) continue;
      doc.erase("version");
      if (k != Kind::kOrganization && k != Kind::kDistribution && !doc.contains("status"))
        doc["status"] = "draft";
      const std::string prefix = key + "[" + std::to_string(i) + "].";
      if (k == Kind::kDistribution && !doc.contains("dataset"))
        problems.push_back({prefix + "dataset", "required", "an imported distribution names its dataset"});
      Check(k, doc, prefix, pending, problems);
      if (!problems.empty()) continue;
      auto existing = store_->Get(key, doc.value("id", ""));
      doc["created"] = existing.ok() ? DocFor(*existing).value("created", now) : now;
      doc["modified"] = now;
      rows.push_back(RowFor(k, doc));
    }
  }
  if (!problems.empty())
    return Status::Invalid("the import file is not valid; nothing was imported", std::move(problems));
  KILDE_RETURN_IF_ERROR(store_->UpsertBatch(rows));
  return counts;
}

}  // namespace kilde::catalog
