// `kilde token issue`: mints a development token with the local dev issuer (the key in the data
// dir), for `kilde serve --dev`. Prints the token alone on stdout so that it can be captured:
//   TOKEN=$(kilde token issue --consumer 0192:958935420 --scope kilde:admin)
#include <chrono>
#include <iostream>
#include <sstream>

#include "auth/dev_issuer.h"
#include "cli/commands.h"
#include "cli/options.h"

namespace kilde::cli {
namespace {

struct TokenFlags {
  CommonFlags common;
  std::string consumer;
  std::vector<std::string> scopes;
  std::optional<std::string> pid, supplier, audience, client_id;
  std::string ttl = "1h";
};

// "3600", "90s", "30m", "12h", "7d" → seconds; nullopt for anything else or ≤ 0.
std::optional<int64_t> ParseTtl(const std::string& s) {
  if (s.empty()) return std::nullopt;
  int64_t unit = 1;
  std::string digits = s;
  switch (s.back()) {
    case 's':
      unit = 1;
      digits.pop_back();
      break;
    case 'm':
      unit = 60;
      digits.pop_back();
      break;
    case 'h':
      unit = 3600;
      digits.pop_back();
      break;
    case 'd':
      unit = 86400;
      digits.pop_back();
      break;
    default:
      break;
  }
  if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  int64_t n = std::stoll(digits) * unit;
  if (n <= 0 || n > 366 * 86400) return std::nullopt;
  return n;
}

int Issue(const TokenFlags& f) {
  auto cfg = LoadConfig(f.common);
  if (!cfg.ok()) return Fail(cfg.status());
  auth::DevTokenRequest req;
  req.consumer = f.consumer;
  // --scope may be repeated or hold several scopes separated by spaces.
  for (const std::string& s : f.scopes) {
    std::istringstream in(s);
    for (std::string one; in >> one;) req.scopes.push_back(one);
  }
  req.pid = f.pid;
  req.supplier = f.supplier;
  req.audience = f.audience;
  if (f.client_id) req.client_id = *f.client_id;
  if (req.consumer.empty() && !req.pid)
    return Fail(Status::Invalid(
        "give --consumer 0192:<orgnr> (an organisation) or --pid <fødselsnummer> (a citizen)"));
  if (req.scopes.empty() && !req.pid)
    return Fail(Status::Invalid("give at least one --scope, e.g. --scope kilde:read"));
  if (req.scopes.empty()) req.scopes.push_back("openid");  // a citizen's login token (ID-porten style)
  auto ttl = ParseTtl(f.ttl);
  if (!ttl)
    return Fail(Status::Invalid("--ttl '" + f.ttl +
                                "' is not a duration: use seconds or 90s, 30m, 12h, 7d (at most 366d)"));
  req.ttl_seconds = *ttl;
  auto issuer = auth::DevIssuer::Open(cfg->data_dir, auth::kDevIssuerName);
  if (!issuer.ok()) return Fail(issuer.status());
  const int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  auto token = issuer->IssueToken(req, now);
  if (!token.ok()) return Fail(token.status());
  std::cout << *token << "\n";
  return 0;
}

}  // namespace

void RegisterToken(CLI::App& app, int* exit_code) {
  CLI::App* token = app.add_subcommand("token", "Development tokens (for `kilde serve --dev`)");
  token->require_subcommand(1);
  auto f = std::make_shared<TokenFlags>();
  CLI::App* issue = token->add_subcommand(
      "issue", "Sign a Maskinporten-shaped token with the local dev issuer key in the data dir; prints it");
  f->common.AddTo(issue);
  issue->add_option("--consumer", f->consumer, "The organisation: 0192:<orgnr> or the 9-digit orgnr");
  issue->add_option("--scope", f->scopes,
                    "kilde:read, kilde:write, kilde:owner or kilde:admin (repeatable, or space-separated)");
  issue->add_option("--pid", f->pid,
                    "A citizen's fødselsnummer/D-nummer (an ID-porten-style token, for innsyn)");
  issue->add_option("--supplier", f->supplier,
                    "A supplier organisation acting for the consumer: 0192:<orgnr>");
  issue->add_option("--audience", f->audience, "The `aud` claim");
  issue->add_option("--client-id", f->client_id, "The `client_id` claim (default kilde-dev)");
  issue->add_option("--ttl", f->ttl, "Lifetime: seconds, or 90s, 30m, 12h, 7d (default 1h)");
  issue->callback([f, exit_code] { *exit_code = Issue(*f); });
}

}  // namespace kilde::cli
