// Server and CLI configuration: defaults, then a TOML file, then KILDE_* environment
// variables, then command-line flags (each later source overrides the earlier).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace kilde::config {

struct Config {
  std::string listen_host = "127.0.0.1";
  int listen_port = 8080;
  std::string data_dir = "./var";
  bool demo = false;
  // Base of the IRIs in the RDF exports; "" means "http://<listen>".
  std::string public_url;
  std::string log_level = "info";  // trace, debug, info, warn, error
  int workers = 0;                 // I/O threads; 0 = one per core

  // HTTP limits (bytes, milliseconds).
  size_t max_body_bytes = 1 << 20;
  size_t max_header_bytes = 16 << 10;
  int64_t max_rows_per_page = 10000;              // largest `limit` of a rows request
  size_t query_cache_bytes = 64 << 20;            // rendered row/aggregate responses kept (0 = no cache)
  uint64_t max_ingest_bytes = uint64_t{1} << 30;  // one uploaded file (POST .../editions)
  int read_timeout_ms = 10000;                    // to receive one whole request once it has started
  int idle_timeout_ms = 30000;                    // keep-alive connection idle between requests
  int shutdown_grace_ms = 10000;                  // in-flight requests get this long after SIGTERM

  // The dcat:Catalog this instance publishes.
  std::string catalog_title_nb = "Oslo kommunes datakatalog";
  std::string catalog_title_en = "City of Oslo data catalogue";
  std::string catalog_description_nb =
      "Datasett, datatjenester, begreper og tjenester som Oslo kommune deler.";
  std::string catalog_publisher = "oslo-kommune";  // organization id

  // Bearer tokens (docs/access.md). Each trusted issuer is a spec "ISSUER", "ISSUER=file:PATH" or
  // "ISSUER=https://JWKS-URL" (auth/issuer_spec.h).
  std::vector<std::string> trusted_issuers;
  std::string audience;         // when non-empty, tokens' `aud` must contain it
  int64_t leeway_seconds = 60;  // clock skew allowed on exp / nbf / iat
  // Trust the local development issuer (`kilde token issue`) and serve its JWKS. Never in production.
  bool dev_issuer = false;

  // Audit log: a signed checkpoint every this many entries, and at least every this many seconds
  // while entries arrive.
  int64_t audit_checkpoint_every = 1000;
  int64_t audit_checkpoint_interval_seconds = 60;
  // Group commit: how long (µs) the audit writer may wait for a fuller batch when many clients read
  // audited data at once (audit/recorder.h); 0 commits every batch at once.
  int64_t audit_group_commit_wait_us = 1000;

  std::string PublicUrl() const;
};

// Sets one setting from its textual value, by its key (TOML key with section,
// e.g. "http.max_body_bytes"). kInvalidArgument naming the key for unknown keys
// and bad values.
Status Set(Config& c, const std::string& key, const std::string& value);

// Applies a TOML file. Errors name the file, line and key.
Status ApplyFile(Config& c, const std::string& path);

// Applies KILDE_* variables found through `getenv` (KILDE_LISTEN, KILDE_DATA_DIR,
// KILDE_HTTP_MAX_BODY_BYTES, ... : the key upper-cased, dots as underscores).
Status ApplyEnv(Config& c, const std::function<const char*(const char*)>& getenv);

// Every known key, for docs and --help.
std::vector<std::string> Keys();

}  // namespace kilde::config
