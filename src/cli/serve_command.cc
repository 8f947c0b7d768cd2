// `kilde serve`: the HTTP server.
#include <iostream>

#include "api/app.h"
#include "api/json_body.h"
#include "auth/dev_issuer.h"
#include "auth/verifier.h"
#include "base/assets.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/trusted_issuers.h"
#include "http/server.h"
#include "log/log.h"

namespace kilde::cli {
namespace {

struct ServeFlags {
  CommonFlags common;
  std::optional<std::string> listen;
  bool demo = false;
  bool dev = false;
  std::vector<std::string> trusted_issuers;
};

// The token verifier: the configured trusted issuers with their keys, plus the dev issuer when asked.
Result<std::unique_ptr<auth::Verifier>> MakeVerifier(const config::Config& cfg,
                                                     std::optional<auth::DevIssuer>* dev) {
  auth::VerifierOptions vo;
  vo.leeway_seconds = cfg.leeway_seconds;
  std::optional<std::string> audience;
  if (!cfg.audience.empty()) audience = cfg.audience;
  KILDE_ASSIGN_OR_RETURN(auto issuers, LoadTrustedIssuers(cfg, &vo));
  auto verifier = std::make_unique<auth::Verifier>(std::move(vo));
  for (auto& issuer : issuers) {
    log::Info("trusting token issuer", {{"issuer", issuer.issuer}});
    verifier->SetIssuer(std::move(issuer));
  }
  if (cfg.dev_issuer) {
    KILDE_ASSIGN_OR_RETURN(auto d, auth::DevIssuer::Open(cfg.data_dir, auth::kDevIssuerName));
    verifier->SetIssuer(d.Trusted(audience));
    log::Warn(
        "development issuer trusted: anyone who can read the data dir can mint tokens; never use --dev in "
        "production",
        {{"issuer", d.issuer()}, {"key", d.key_path().string()}});
    *dev = std::move(d);
  }
  return verifier;
}

// Loads the embedded demo catalog unless the store already has organisations
// (so that edits to demo resources survive restarts).
Status LoadDemo(api::App& app) {
  catalog::ListRequest probe;
  probe.kind = catalog::Kind::kOrganization;
  probe.limit = 1;
  KILDE_ASSIGN_OR_RETURN(auto page, app.catalog().List(probe));
  if (!page.items.empty()) {
    log::Info("demo data not loaded: the catalog already has organizations");
    return Status::Ok();
  }
  auto text = assets::Find("catalog.json");
  if (!text) return Status::Internal("this build has no demo data");
  KILDE_ASSIGN_OR_RETURN(auto file, api::ParseJson(std::string(*text), "the demo catalog"));
  KILDE_ASSIGN_OR_RETURN(auto counts, app.catalog().Import(file));
  log::Info("demo data loaded", {{"counts", counts}});
  return Status::Ok();
}

int Serve(const ServeFlags& f) {
  auto cfg = LoadConfig(f.common);
  if (!cfg.ok()) return Fail(cfg.status());
  if (f.listen) {
    Status s = config::Set(*cfg, "listen", *f.listen);
    if (!s.ok()) return Fail(s);
  }
  if (f.demo) cfg->demo = true;
  if (f.dev) cfg->dev_issuer = true;
  for (const auto& spec : f.trusted_issuers) cfg->trusted_issuers.push_back(spec);
  log::Init(cfg->log_level);
  log::UseBufferedOutput();  // before anything is written to stderr (setvbuf's precondition)
  auto store = store::OpenSqliteStore(cfg->data_dir);
  if (!store.ok()) return Fail(store.status());
  std::optional<auth::DevIssuer> dev;
  auto verifier = MakeVerifier(*cfg, &dev);
  if (!verifier.ok()) return Fail(verifier.status());
  api::App app(*cfg, std::move(*store), std::move(*verifier), std::move(dev));
  if (Status s = app.OpenAudit(); !s.ok()) return Fail(s);
  if (cfg->demo) {
    Status s = LoadDemo(app);
    if (!s.ok()) return Fail(s);
  }
  http::ServerOptions opts;
  opts.host = cfg->listen_host;
  opts.port = static_cast<uint16_t>(cfg->listen_port);
  opts.max_body_bytes = cfg->max_body_bytes;
  opts.max_header_bytes = cfg->max_header_bytes;
  opts.read_timeout_ms = cfg->read_timeout_ms;
  opts.idle_timeout_ms = cfg->idle_timeout_ms;
  opts.shutdown_grace_ms = cfg->shutdown_grace_ms;
  opts.workers = cfg->workers;
  http::Server server(
      opts, [&app](http::Request& r) { return app.Handle(r); }, app.metrics());
  server.SetStreamHandler([&app](http::Request& head) { return app.StreamFor(head); });
  auto port = server.Listen();
  if (!port.ok()) return Fail(port.status());
  app.SetBoundPort(*port);
  std::string host = opts.host.find(':') != std::string::npos ? "[" + opts.host + "]" : opts.host;
  log::Info("listening", {{"address", host + ":" + std::to_string(*port)},
                          {"data_dir", cfg->data_dir},
                          {"version", KILDE_VERSION}});
  std::cout << "kilde listening on http://" << host << ":" << *port << std::endl;
  server.Run();
  log::Info("stopped");
  log::Flush();
  return 0;
}

}  // namespace

void RegisterServe(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<ServeFlags>();
  CLI::App* cmd =
      app.add_subcommand("serve", "Run the HTTP server (JSON API, RDF catalog, health and metrics)");
  flags->common.AddTo(cmd);
  cmd->add_option("--listen", flags->listen,
                  "HOST:PORT to listen on (default 127.0.0.1:8080; port 0 = any free)");
  cmd->add_flag("--demo", flags->demo, "Load the built-in demo catalog if the store has none");
  cmd->add_flag(
      "--dev", flags->dev,
      "Trust the local development issuer (`kilde token issue`) and serve its JWKS; never in production");
  cmd->add_option("--trusted-issuer", flags->trusted_issuers,
                  "Accept tokens from ISSUER (repeatable): ISSUER (keys via its metadata's jwks_uri), "
                  "ISSUER=file:JWKS.json or ISSUER=https://.../jwks");
  cmd->callback([flags, exit_code] { *exit_code = Serve(*flags); });
}

void RegisterVersion(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("version", "Print the version");
  cmd->callback([exit_code] {
    std::cout << "kilde " << KILDE_VERSION << "\n";
    *exit_code = 0;
  });
}

}  // namespace kilde::cli
