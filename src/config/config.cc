#include "config/config.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <toml++/toml.h>

namespace kilde::config {
namespace {

using Setter = std::function<Status(Config&, const std::string&)>;

Status Bad(const std::string& key, const std::string& value, const std::string& want) {
  return Status::Invalid("invalid value '" + value + "' for setting " + key + ": " + want);
}

Setter Str(std::string Config::*field) {
  return [field](Config& c, const std::string& v) {
    c.*field = v;
    return Status::Ok();
  };
}

template <typename T>
Setter Num(T Config::*field, long long min, long long max, const std::string& key) {
  return [=](Config& c, const std::string& v) {
    long long n = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || p != v.data() + v.size() || n < min || n > max)
      return Bad(key, v, "expected an integer from " + std::to_string(min) + " to " + std::to_string(max));
    c.*field = static_cast<T>(n);
    return Status::Ok();
  };
}

Setter Bool(bool Config::*field, const std::string& key) {
  return [=](Config& c, const std::string& v) {
    if (v == "true" || v == "1")
      c.*field = true;
    else if (v == "false" || v == "0")
      c.*field = false;
    else
      return Bad(key, v, "expected true or false");
    return Status::Ok();
  };
}

// A comma-separated list (a TOML array arrives joined with commas); empty items are dropped.
Status SetTrustedIssuers(Config& c, const std::string& v) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= v.size()) {
    size_t j = v.find(',', i);
    if (j == std::string::npos) j = v.size();
    std::string item = v.substr(i, j - i);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back()))) item.pop_back();
    size_t k = 0;
    while (k < item.size() && std::isspace(static_cast<unsigned char>(item[k]))) ++k;
    if (k < item.size()) out.push_back(item.substr(k));
    i = j + 1;
  }
  c.trusted_issuers = std::move(out);
  return Status::Ok();
}

Status SetListen(Config& c, const std::string& v) {
  auto colon = v.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return Bad("listen", v, "expected HOST:PORT, e.g. 127.0.0.1:8080");
  int port = 0;
  std::string ps = v.substr(colon + 1);
  auto [p, ec] = std::from_chars(ps.data(), ps.data() + ps.size(), port);
  if (ec != std::errc() || p != ps.data() + ps.size() || port < 0 || port > 65535)
    return Bad("listen", v, "port must be 0..65535");
  std::string host = v.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  c.listen_host = host;
  c.listen_port = port;
  return Status::Ok();
}

const std::vector<std::pair<std::string, Setter>>& Table() {
  static const std::vector<std::pair<std::string, Setter>> kTable = {
      {"listen", SetListen},
      {"data_dir", Str(&Config::data_dir)},
      {"demo", Bool(&Config::demo, "demo")},
      {"public_url",
       [](Config& c, const std::string& v) {
         if (!v.empty() && v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0)
           return Bad("public_url", v, "expected an absolute http(s) URL");
         c.public_url = v;
         while (!c.public_url.empty() && c.public_url.back() == '/') c.public_url.pop_back();
         return Status::Ok();
       }},
      {"log_level",
       [](Config& c, const std::string& v) {
         static const char* kLevels[] = {"trace", "debug", "info", "warn", "error"};
         if (std::find(std::begin(kLevels), std::end(kLevels), v) == std::end(kLevels))
           return Bad("log_level", v, "expected trace, debug, info, warn or error");
         c.log_level = v;
         return Status::Ok();
       }},
      {"workers", Num(&Config::workers, 0, 256, "workers")},
      {"http.max_body_bytes", Num(&Config::max_body_bytes, 1024, 1LL << 40, "http.max_body_bytes")},
      {"query.max_rows_per_page", Num(&Config::max_rows_per_page, 1, 1000000, "query.max_rows_per_page")},
      {"query.cache_bytes", Num(&Config::query_cache_bytes, 0, 1LL << 40, "query.cache_bytes")},
      {"http.max_ingest_bytes", Num(&Config::max_ingest_bytes, 1024, 1LL << 50, "http.max_ingest_bytes")},
      {"http.max_header_bytes", Num(&Config::max_header_bytes, 1024, 1 << 20, "http.max_header_bytes")},
      {"http.read_timeout_ms", Num(&Config::read_timeout_ms, 100, 3600000, "http.read_timeout_ms")},
      {"http.idle_timeout_ms", Num(&Config::idle_timeout_ms, 100, 3600000, "http.idle_timeout_ms")},
      {"http.shutdown_grace_ms", Num(&Config::shutdown_grace_ms, 0, 3600000, "http.shutdown_grace_ms")},
      {"catalog.title_nb", Str(&Config::catalog_title_nb)},
      {"catalog.title_en", Str(&Config::catalog_title_en)},
      {"catalog.description_nb", Str(&Config::catalog_description_nb)},
      {"catalog.publisher", Str(&Config::catalog_publisher)},
      {"auth.trusted_issuers", SetTrustedIssuers},
      {"auth.audience", Str(&Config::audience)},
      {"auth.leeway_seconds", Num(&Config::leeway_seconds, 0, 600, "auth.leeway_seconds")},
      {"auth.dev_issuer", Bool(&Config::dev_issuer, "auth.dev_issuer")},
      {"audit.checkpoint_every", Num(&Config::audit_checkpoint_every, 1, 1000000, "audit.checkpoint_every")},
      {"audit.checkpoint_interval_seconds",
       Num(&Config::audit_checkpoint_interval_seconds, 1, 86400, "audit.checkpoint_interval_seconds")},
      {"audit.group_commit_wait_us",
       Num(&Config::audit_group_commit_wait_us, 0, 100000, "audit.group_commit_wait_us")},
  };
  return kTable;
}

std::string EnvName(const std::string& key) {
  std::string e = "KILDE_";
  for (char ch : key)
    e.push_back(ch == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
  return e;
}

}  // namespace

std::string Config::PublicUrl() const {
  if (!public_url.empty()) return public_url;
  std::string host = listen_host.find(':') != std::string::npos ? "[" + listen_host + "]" : listen_host;
  if (host == "0.0.0.0") host = "127.0.0.1";
  return "http://" + host + ":" + std::to_string(listen_port);
}

Status Set(Config& c, const std::string& key, const std::string& value) {
  for (const auto& [k, setter] : Table())
    if (k == key) return setter(c, value);
  return Status::Invalid("unknown setting '" + key + "'");
}

std::vector<std::string> Keys() {
  std::vector<std::string> out;
  for (const auto& [k, _] : Table()) out.push_back(k);
  return out;
}

Status ApplyFile(Config& c, const std::string& path) {
  toml::table tbl;
  try {
    tbl = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Status::Invalid("config file " + path + " line " + std::to_string(e.source().begin.line) + ": " +
                           std::string(e.description()));
  }
  Status result;
  tbl.for_each([&](const toml::key& top, const toml::node& node) {
    if (!result.ok()) return;
    auto apply = [&](const std::string& key, const toml::node& n) {
      std::string text;
      if (auto s = n.value<std::string>(); s && n.is_string())
        text = *s;
      else if (n.is_integer())
        text = std::to_string(*n.value<int64_t>());
      else if (n.is_boolean())
        text = *n.value<bool>() ? "true" : "false";
      else if (const auto* arr = n.as_array(); arr && key == "auth.trusted_issuers") {
        for (const auto& item : *arr) {
          auto v = item.value<std::string>();
          if (!item.is_string() || !v || v->find(',') != std::string::npos) {
            result =
                Status::Invalid("config file " + path + " line " + std::to_string(item.source().begin.line) +
                                ": " + key + " must be an array of strings without commas");
            return;
          }
          text += (text.empty() ? "" : ",") + *v;
        }
      } else {
        result = Status::Invalid("config file " + path + " line " + std::to_string(n.source().begin.line) +
                                 ": setting " + key + " must be a string, integer or boolean");
        return;
      }
      Status s = Set(c, key, text);
      if (!s.ok())
        result = Status::Invalid("config file " + path + " line " + std::to_string(n.source().begin.line) +
                                 ": " + s.message());
    };
    if (const auto* sub = node.as_table()) {
      sub->for_each([&](const toml::key& k, const toml::node& n) {
        if (result.ok()) apply(std::string(top.str()) + "." + std::string(k.str()), n);
      });
    } else {
      apply(std::string(top.str()), node);
    }
  });
  return result;
}

Status ApplyEnv(Config& c, const std::function<const char*(const char*)>& getenv) {
  for (const auto& [key, setter] : Table()) {
    std::string name = EnvName(key);
    if (const char* v = getenv(name.c_str())) {
      Status s = setter(c, v);
      if (!s.ok()) return Status::Invalid("environment variable " + name + ": " + s.message());
    }
  }
  return Status::Ok();
}

}  // namespace kilde::config
