// `kilde audit verify`: recomputes the audit log's hash chain and checks its signed checkpoints.
#include <iostream>
#include <memory>

#include "audit/log.h"
#include "cli/commands.h"
#include "cli/options.h"

namespace kilde::cli {
namespace {

int Verify(const CommonFlags& common) {
  auto opened = OpenStore(common);
  if (!opened.ok()) return Fail(opened.status());
  // Verifying never creates a key; without one, only a log without checkpoints can verify.
  std::unique_ptr<audit::Signer> key;
  auto signer = audit::Signer::Load(audit::Log::KeyPath(opened->cfg.data_dir));
  if (signer.ok()) {
    key = std::move(*signer);
  } else if (signer.status().code() != Code::kNotFound) {
    return Fail(signer.status());
  }
  audit::Log log(&opened->store->audit(), std::move(key));
  auto report = log.VerifyStored();
  if (!report.ok()) return Fail(report.status());
  if (report->finding) {
    std::cerr << "kilde: the audit log in " << opened->cfg.data_dir
              << " is NOT intact: " << report->finding->problem << " (" << report->entries << " entries, "
              << report->checkpoints << " signed checkpoints read)\n";
    return 2;
  }
  std::cout << "audit log intact: " << report->entries << (report->entries == 1 ? " entry, " : " entries, ")
            << report->checkpoints
            << (report->checkpoints == 1 ? " signed checkpoint\n" : " signed checkpoints\n");
  return 0;
}

}  // namespace

void RegisterAudit(CLI::App& app, int* exit_code) {
  CLI::App* audit = app.add_subcommand("audit", "Work with the audit log");
  audit->require_subcommand(1);
  auto common = std::make_shared<CommonFlags>();
  CLI::App* verify = audit->add_subcommand(
      "verify", "Recompute the hash chain and check the signed checkpoints; name the first bad entry");
  common->AddTo(verify);
  verify->callback([common, exit_code] { *exit_code = Verify(*common); });
}

}  // namespace kilde::cli
