// What the catalog shows about data products: a short quality summary of an edition, and the
// products of a dataset with their latest edition (served inside GET /api/v1/datasets/{id}).
#pragma once

#include <nlohmann/json.hpp>

namespace kilde::products {

// A summary of a quality report (quality.h ToJson): {"rows", "rejected_rows", "completeness" (the
// mean of the columns' completeness, 4 decimals), "invalid" (invalid cells in all columns),
// "incomplete_columns": [{"name", "completeness"}] (columns with NULLs, lowest first, at most 10)}.
// A report that is not an object gives null. Pure.
nlohmann::json QualitySummary(const nlohmann::json& report);

}  // namespace kilde::products
