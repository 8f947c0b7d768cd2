#include "catalog/slug.h"

#include <cctype>
#include <utility>

namespace kilde::catalog {

std::string Slugify(std::string_view text) {
  // Two-byte UTF-8 sequences of Latin-1 letters we fold; the rest become '-'.
  static const std::pair<std::string_view, std::string_view> kFold[] = {
      {"æ", "ae"}, {"Æ", "ae"}, {"ø", "o"}, {"Ø", "o"}, {"å", "a"}, {"Å", "a"}, {"ä", "a"},
      {"Ä", "a"},  {"ö", "o"},  {"Ö", "o"}, {"ü", "u"}, {"Ü", "u"}, {"é", "e"}, {"É", "e"},
      {"è", "e"},  {"á", "a"},  {"ó", "o"}, {"ô", "o"}, {"ç", "c"}, {"ñ", "n"}};
  std::string out;
  bool dash = false;
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    std::string_view piece;
    size_t len = 1;
    if (c < 0x80) {
      if (std::isalnum(c)) {
        char lower = static_cast<char>(std::tolower(c));
        if (dash && !out.empty()) out.push_back('-');
        dash = false;
        out.push_back(lower);
        ++i;
        continue;
      }
    } else {
      len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
      for (const auto& [from, to] : kFold)
        if (text.substr(i, from.size()) == from) piece = to;
    }
    if (!piece.empty()) {
      if (dash && !out.empty()) out.push_back('-');
      dash = false;
      out += piece;
    } else {
      dash = true;
    }
    i += len;
  }
  if (out.size() > 48) out.resize(48);
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

std::string SlugFromDoc(const nlohmann::json& doc) {
  for (const char* field : {"title", "name", "pref_label"}) {
    if (doc.contains(field) && doc[field].is_object() && doc[field].contains("nb") &&
        doc[field]["nb"].is_string())
      return Slugify(doc[field]["nb"].get<std::string>());
  }
  return "";
}

}  // namespace kilde::catalog
