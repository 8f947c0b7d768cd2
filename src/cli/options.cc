#include "cli/options.h"

#include <cstdlib>
#include <iostream>

#include "log/log.h"

namespace kilde::cli {

void CommonFlags::AddTo(CLI::App* cmd) {
  cmd->add_option("--config", config_file, "TOML config file (also KILDE_CONFIG)");
  cmd->add_option("--data-dir", data_dir, "Directory of the embedded store (default ./var)");
  cmd->add_option("--public-url", public_url, "Base URL of this instance, used in RDF IRIs and links");
  cmd->add_option("--log-level", log_level, "trace, debug, info, warn or error");
}

Result<config::Config> LoadConfig(const CommonFlags& common) {
  config::Config c;
  std::optional<std::string> file = common.config_file;
  if (!file) {
    if (const char* env = std::getenv("KILDE_CONFIG")) file = env;
  }
  if (file) KILDE_RETURN_IF_ERROR(config::ApplyFile(c, *file));
  KILDE_RETURN_IF_ERROR(config::ApplyEnv(c, [](const char* n) { return std::getenv(n); }));
  if (common.data_dir) KILDE_RETURN_IF_ERROR(config::Set(c, "data_dir", *common.data_dir));
  if (common.public_url) KILDE_RETURN_IF_ERROR(config::Set(c, "public_url", *common.public_url));
  if (common.log_level) KILDE_RETURN_IF_ERROR(config::Set(c, "log_level", *common.log_level));
  return c;
}

Result<Opened> OpenStore(const CommonFlags& common) {
  Opened o;
  KILDE_ASSIGN_OR_RETURN(o.cfg, LoadConfig(common));
  log::Init(o.cfg.log_level);
  KILDE_ASSIGN_OR_RETURN(o.store, store::OpenSqliteStore(o.cfg.data_dir));
  return o;
}

int Fail(const Status& s) {
  std::cerr << "kilde: " << s.message() << "\n";
  for (const auto& d : s.details()) {
    std::cerr << "  " << (d.field.empty() ? "(document)" : d.field) << ": " << d.problem;
    if (!d.message.empty()) std::cerr << " — " << d.message;
    std::cerr << "\n";
  }
  return 1;
}

}  // namespace kilde::cli
