// Deriving resource ids from titles.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace kilde::catalog {

// "Barnehageopptak i Bydel Grünerløkka" → "barnehageopptak-i-bydel-grunerlokka":
// lower case, æ→ae, ø→o, å→a, other letters with diacritics folded, anything
// else a single '-', at most 48 characters. "" if nothing is left.
std::string Slugify(std::string_view text);

// A slug from the document's nb title (title, name or pref_label, in that order).
std::string SlugFromDoc(const nlohmann::json& doc);

}  // namespace kilde::catalog
