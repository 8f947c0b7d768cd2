// kilde: Oslo kommune's platform for sharing data. See README.md.
#include <CLI/CLI.hpp>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{
      "kilde — share data between Oslo kommune's agencies: catalog, data products, access and audit"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show help for every command");
  int exit_code = 0;
  kilde::cli::RegisterServe(app, &exit_code);
  kilde::cli::RegisterCatalog(app, &exit_code);
  kilde::cli::RegisterProduct(app, &exit_code);
  kilde::cli::RegisterAudit(app, &exit_code);
  kilde::cli::RegisterToken(app, &exit_code);
  kilde::cli::RegisterVersion(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return exit_code;
}
