// Options shared by the CLI's commands and how they become a config::Config.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "base/status.h"
#include "config/config.h"
#include "store/store.h"

namespace kilde::cli {

// Flags common to commands that open the store. Unset flags leave the config alone.
struct CommonFlags {
  std::optional<std::string> config_file;
  std::optional<std::string> data_dir;
  std::optional<std::string> public_url;
  std::optional<std::string> log_level;

  void AddTo(CLI::App* cmd);
};

// Defaults, then the config file (flag or KILDE_CONFIG), then KILDE_* variables,
// then the flags in `common`. Callers apply their own extra flags afterwards with config::Set.
Result<config::Config> LoadConfig(const CommonFlags& common);

// A loaded config with logging set up and the store it names opened.
struct Opened {
  config::Config cfg;
  std::unique_ptr<store::Store> store;
};
// LoadConfig, log::Init, then store::OpenSqliteStore of the configured data dir.
Result<Opened> OpenStore(const CommonFlags& common);

// Prints "kilde: <message>" and each detail to stderr; returns the exit code 1.
int Fail(const Status& s);

}  // namespace kilde::cli
