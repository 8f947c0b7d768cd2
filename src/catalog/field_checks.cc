#include "catalog/field_checks.h"

#include <algorithm>
#include <utility>

namespace kilde::catalog::checks {
namespace {

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlnum(char c) { return IsAsciiDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool IsBlank(std::string_view s) { return std::all_of(s.begin(), s.end(), IsSpace); }

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

std::string JoinAllowed(std::span<const std::string_view> allowed) {
  std::string out;
  for (std::size_t i = 0; i < allowed.size(); ++i) {
    if (i > 0) out += ", ";
    out += allowed[i];
  }
  return out;
}

// Reports wrong_type and returns nullptr unless `v` is a string.
const std::string* AsString(const Json& v, const std::string& path, Sink& sink) {
  if (!v.is_string()) {
    sink.Problem(path, kWrongType, "must be a string");
    return nullptr;
  }
  return v.get_ptr<const std::string*>();
}

// RFC 3986 characters that may not appear literally in a URL (nor in a Turtle IRI).
bool IsForbiddenInUrl(unsigned char c) {
  if (c <= 0x20 || c == 0x7f) return true;
  return std::string_view("<>\"{}|\\^`").find(static_cast<char>(c)) != std::string_view::npos;
}

bool IsValidUrl(std::string_view s) {
  std::size_t scheme_len;
  if (StartsWithNoCase(s, "https://"))
    scheme_len = 8;
  else if (StartsWithNoCase(s, "http://"))
    scheme_len = 7;
  else
    return false;
  for (char c : s)
    if (IsForbiddenInUrl(static_cast<unsigned char>(c))) return false;
  std::string_view rest = s.substr(scheme_len);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (std::size_t at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string_view host = authority;
  if (!host.empty() && host.front() == '[') {  // IPv6 literal
    std::size_t close = host.find(']');
    if (close == std::string_view::npos || close < 3) return false;
    std::string_view after = host.substr(close + 1);
    if (!after.empty() && (after.front() != ':' || after.size() == 1 ||
                           !std::all_of(after.begin() + 1, after.end(), IsAsciiDigit)))
      return false;
    return true;
  }
  if (std::size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    std::string_view port = host.substr(colon + 1);
    if (port.empty() || !std::all_of(port.begin(), port.end(), IsAsciiDigit)) return false;
    host = host.substr(0, colon);
  }
  if (host.empty() || host.front() == '.' || host.front() == '-' || host.back() == '.') return false;
  for (char c : host) {
    unsigned char u = static_cast<unsigned char>(c);
    if (!(IsAsciiAlnum(c) || c == '.' || c == '-' || u >= 0x80)) return false;  // allow IDN (UTF-8)
  }
  return true;
}

bool IsValidEmail(std::string_view s) {
  std::size_t at = s.find('@');
  if (at == std::string_view::npos || at == 0 || s.find('@', at + 1) != std::string_view::npos) return false;
  std::string_view domain = s.substr(at + 1);
  if (domain.empty() || domain.front() == '.' || domain.back() == '.' || domain.front() == '-') return false;
  if (domain.find('.') == std::string_view::npos || domain.find("..") != std::string_view::npos) return false;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '<' || c == '>' || c == '"' || c == ',' || c == ';') return false;
  }
  return true;
}

bool IsValidPhone(std::string_view s) {
  std::size_t digits = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (IsAsciiDigit(c))
      ++digits;
    else if (c == '+' && i == 0)
      continue;
    else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '.')
      return false;
  }
  return digits >= 3 && digits <= 15;
}

// RFC 6838 restricted-name: 1-127 chars, first alnum, then alnum or !#$&-^_.+
bool IsRestrictedName(std::string_view s) {
  if (s.empty() || s.size() > 127 || !IsAsciiAlnum(s.front())) return false;
  for (char c : s)
    if (!IsAsciiAlnum(c) && std::string_view("!#$&-^_.+").find(c) == std::string_view::npos) return false;
  return true;
}

void CheckLangKey(const std::string& key, const std::string& path, Sink& sink) {
  if (std::find(std::begin(kLanguages), std::end(kLanguages), key) == std::end(kLanguages))
    sink.Problem(Child(path, key), kInvalidValue, "language must be one of nb, nn, en");
}

}  // namespace

void Sink::Problem(std::string field, std::string_view code, std::string message) {
  out_.problems.push_back(FieldProblem{std::move(field), std::string(code), std::move(message)});
}

void Sink::Ref(Kind kind, std::string id, std::string field) {
  out_.references.push_back(Reference{kind, std::move(id), std::move(field)});
}

std::string Child(std::string_view path, std::string_view key) {
  if (path.empty()) return std::string(key);
  std::string out(path);
  out += '.';
  out += key;
  return out;
}

std::string Item(std::string_view path, std::size_t index) {
  return std::string(path) + "[" + std::to_string(index) + "]";
}

const Json* Member(const Json& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

std::size_t CodePoints(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string StringMember(const Json& obj, std::string_view key) {
  const Json* v = Member(obj, key);
  return v && v->is_string() ? v->get<std::string>() : std::string();
}

bool IsValidDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!IsAsciiDigit(s[i])) return false;
  int year = std::stoi(std::string(s.substr(0, 4)));
  int month = (s[5] - '0') * 10 + (s[6] - '0');
  int day = (s[8] - '0') * 10 + (s[9] - '0');
  if (month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= (month == 2 && leap ? 29 : kDays[month - 1]);
}

bool CheckObject(const Json& value, const std::string& path, std::span<const Field> fields, Sink& sink,
                 std::span<const std::string_view> ignored) {
  if (!value.is_object()) {
    sink.Problem(path, kWrongType, "must be an object");
    return false;
  }
  for (const auto& [key, v] : value.items()) {
    bool known = std::any_of(fields.begin(), fields.end(), [&](const Field& f) { return f.name == key; }) ||
                 std::find(ignored.begin(), ignored.end(), key) != ignored.end();
    if (!known) sink.Problem(Child(path, key), kUnknownField, "is not a field of this object");
  }
  for (const Field& f : fields) {
    const Json* v = Member(value, f.name);
    if (v == nullptr) {
      if (f.required) sink.Problem(Child(path, f.name), kRequired, std::string(f.missing_message));
      continue;
    }
    if (f.check) f.check(*v, Child(path, f.name), sink);
  }
  return true;
}

Check Text(std::size_t max_len) {
  return [max_len](const Json& v, const std::string& path, Sink& sink) {
    const std::string* s = AsString(v, path, sink);
    if (!s) return;
    if (IsBlank(*s))
      sink.Problem(path, kRequired, "must not be empty");
    else if (CodePoints(*s) > max_len)
      sink.Problem(path, kTooLong, "must be at most " + std::to_string(max_len) + " characters");
  };
}

Check Slug() {
  return [](const Json& v, const std::string& path, Sink& sink) {
    const std::string* s = AsString(v, path, sink);
    if (s && !IsValidSlug(*s))
      sink.Problem(path, kInvalidFormat,
                   "must be an id of 1-64 characters a-z, 0-9 and -, not starting with -");
  };
}

Check Url(std::string_view prefix) {
  return [prefix](const Json& v, const std::string& path, Sink& sink) {
    const std::string* s = AsString(v, path, sink);
    if (!s) return;
    if (s->size() > kMaxUrl)
      sink.Problem(path, kTooLong, "must be at most " + std::to_string(kMaxUrl) + " characters");
    else if (!IsValidUrl(*s))
      sink.Problem(path, kInvalidFormat, "must be an absolute http:// or https:// URL");
    else if (!prefix.empty() && !s->starts_with(prefix))
      sink.Problem(path, kInvalidFormat, "must start with " + std::string(prefix));
  };
}

Check Date() {
  return [](const Json& v, const std::string& path, Sink& sink) {
    const std::string* s = AsString(v, path, sink);
    if (s && !IsValidDate(*s)) sink.Problem(path, kInvalidFormat, "must be a date YYYY-MM-DD");
  };
}

Check Bool() {
  return [](const Json& v, const std::string& path, Sink& sink) {
    if (!v.is_boolean()) sink.Problem(path, kWrongType, "must be true or false");
  };
}

Check Enum(std::span<const std::string_view> allowed) {
  return [allowed](const Json& v, const std::string& path, Sink& sink) {
    const std::string* s = AsString(v, path, sink);
    if (s && std::find(allowed.begin(), allowed.end(), *s) == allowed.end())
      sink.Problem(path, kInvalidValue, "must be one of " + JoinAllowed(allowed));
  };
}

Check Email() {
  return [](const Json& v, const std::string& path, Sink& sink) {
    const std::string* s = AsString(v, path, sink);
    if (!s) return;
    if (s->size() > 254)
      sink.Problem(path, kTooLong, "must be at most 254 characters");
    else if (!IsValidEmail(*s))
      sink.Problem(path, kInvalidFormat, "must be an e-mail address like name@example.no");
  };
}

Check Phone() {
  return [](const Json& v, const std::string& path, Sink& sink) {
    const std::string* s = AsString(v, path, sink);
    if (s && !IsValidPhone(*s))
      sink.Problem(path, kInvalidFormat,
                   "must be a phone number: 3-15 digits, spaces and an optional leading +");
  };
}

Check MediaType() {
  return [](const Json& v, const std::string& path, Sink& sink) {
    const std::string* s = AsString(v, path, sink);
    if (!s) return;
    std::size_t slash = s->find('/');
    bool ok = slash != std::string::npos && IsRestrictedName(std::string_view(*s).substr(0, slash)) &&
              IsRestrictedName(std::string_view(*s).substr(slash + 1));
    if (!ok) sink.Problem(path, kInvalidFormat, "must be an IANA media type type/subtype, e.g. text/csv");
  };
}

Check LangText(std::initializer_list<std::string_view> needed, std::size_t max_len) {
  std::vector<std::string_view> langs(needed);
  return [langs, max_len](const Json& v, const std::string& path, Sink& sink) {
    if (!v.is_object()) {
      sink.Problem(path, kWrongType, "must be an object of texts keyed by language (nb, nn, en)");
      return;
    }
    for (const auto& [key, text] : v.items()) {
      CheckLangKey(key, path, sink);
      if (!text.is_null()) Text(max_len)(text, Child(path, key), sink);
    }
    for (std::string_view lang : langs) {
      if (Member(v, lang) == nullptr)
        sink.Problem(Child(path, lang), kRequired,
                     lang == "nn" ? "needs a text in Norwegian nynorsk (nn)"
                                  : "needs a text in Norwegian bokmål (nb)");
    }
  };
}

Check LangList(std::size_t max_len) {
  return [max_len](const Json& v, const std::string& path, Sink& sink) {
    if (!v.is_object()) {
      sink.Problem(path, kWrongType, "must be an object of string arrays keyed by language (nb, nn, en)");
      return;
    }
    for (const auto& [key, list] : v.items()) {
      CheckLangKey(key, path, sink);
      if (!list.is_null()) ArrayOf(Text(max_len))(list, Child(path, key), sink);
    }
  };
}

Check ContactPoint() {
  static const Field kFields[] = {
      {"name", false, Text(kMaxShortText)},
      {"email", false, Email()},
      {"phone", false, Phone()},
      {"url", false, Url()},
  };
  return [](const Json& v, const std::string& path, Sink& sink) {
    if (!CheckObject(v, path, kFields, sink)) return;
    if (!Member(v, "email") && !Member(v, "phone") && !Member(v, "url"))
      sink.Problem(path, kRequired, "needs at least one of email, phone, url");
  };
}

Check LawRef() {
  static const Field kFields[] = {
      {"label", true, LangText({"nb"}, kMaxShortText)},
      {"url", true, Url()},
  };
  return [](const Json& v, const std::string& path, Sink& sink) { CheckObject(v, path, kFields, sink); };
}

Check ArrayOf(Check item, std::size_t min_items, std::string_view min_message) {
  return
      [item = std::move(item), min_items, min_message](const Json& v, const std::string& path, Sink& sink) {
        if (!v.is_array()) {
          sink.Problem(path, kWrongType, "must be an array");
          return;
        }
        if (v.size() < min_items)
          sink.Problem(path, kRequired,
                       min_message.empty() ? "needs at least " + std::to_string(min_items) + " item(s)"
                                           : std::string(min_message));
        for (std::size_t i = 0; i < v.size(); ++i) {
          if (v[i].is_null())
            sink.Problem(Item(path, i), kWrongType, "must not be null");
          else
            item(v[i], Item(path, i), sink);
        }
      };
}

Check Ref(Kind kind) {
  return [kind](const Json& v, const std::string& path, Sink& sink) {
    const std::string* s = AsString(v, path, sink);
    if (!s) return;
    if (!IsValidSlug(*s)) {
      std::string_view noun = Noun(kind);
      std::string article =
          std::string_view("aeiou").find(noun.front()) != std::string_view::npos ? "an " : "a ";
      sink.Problem(path, kInvalidFormat, "must be the id of " + article + std::string(noun));
      return;
    }
    sink.Ref(kind, *s, path);
  };
}

}  // namespace kilde::catalog::checks
