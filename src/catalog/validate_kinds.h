// Per-kind validators behind catalog::Validate (validate.h). Internal to the catalog module.
// Each is called with an object `doc` and appends to `out`.
#pragma once

#include <string_view>

#include "catalog/field_checks.h"

namespace kilde::catalog::internal {

// Top-level members every kind accepts without checking (server-managed).
inline constexpr std::string_view kServerManaged[] = {"created", "modified", "version"};

void ValidateOrganization(const checks::Json& doc, checks::Sink& sink);
void ValidateDataset(const checks::Json& doc, checks::Sink& sink);
void ValidateDistribution(const checks::Json& doc, checks::Sink& sink);
void ValidateDataService(const checks::Json& doc, checks::Sink& sink);
void ValidateConcept(const checks::Json& doc, checks::Sink& sink);
void ValidatePublicService(const checks::Json& doc, checks::Sink& sink);

}  // namespace kilde::catalog::internal
