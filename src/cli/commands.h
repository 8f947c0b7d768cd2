// The CLI's commands. Each Register* adds a subcommand to `app`; the callback
// sets `*exit_code`.
#pragma once

#include <CLI/CLI.hpp>

namespace kilde::cli {

void RegisterServe(CLI::App& app, int* exit_code);
void RegisterCatalog(CLI::App& app, int* exit_code);
void RegisterVersion(CLI::App& app, int* exit_code);
void RegisterProduct(CLI::App& app, int* exit_code);
void RegisterAudit(CLI::App& app, int* exit_code);
void RegisterToken(CLI::App& app, int* exit_code);

}  // namespace kilde::cli
