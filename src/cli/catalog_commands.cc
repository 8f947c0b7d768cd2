// `kilde catalog import` and `kilde catalog export`.
#include <fstream>
#include <iostream>
#include <sstream>

#include "api/json_body.h"
#include "api/rdf_render.h"
#include "catalog/service.h"
#include "cli/commands.h"
#include "cli/options.h"

namespace kilde::cli {
namespace {

struct ExportFlags {
  CommonFlags common;
  std::string kind = "datasets";
  std::string format = "turtle";
  std::optional<std::string> out;
};

struct ImportFlags {
  CommonFlags common;
  std::string file;
};

int Export(const ExportFlags& f) {
  auto doc = api::RdfDocumentFromName(f.kind);
  if (!doc)
    return Fail(
        Status::Invalid("unknown --kind '" + f.kind + "'; use datasets, concepts or public-services"));
  auto format = rdf::FormatFromName(f.format);
  if (!format)
    return Fail(
        Status::Invalid("unknown --format '" + f.format + "'; use turtle, jsonld, ntriples or rdfxml"));
  auto opened = OpenStore(f.common);
  if (!opened.ok()) return Fail(opened.status());
  catalog::CatalogService catalog(&opened->store->catalog());
  products::ProductService products(opened->store.get());
  auto text = api::RenderRdf(catalog, &products, opened->cfg, *doc, *format);
  if (!text.ok()) return Fail(text.status());
  if (!f.out || *f.out == "-") {
    std::cout << *text;
    return std::cout.good() ? 0 : 1;
  }
  std::ofstream out(*f.out, std::ios::binary);
  out << *text;
  out.close();
  if (!out) return Fail(Status::Unavailable("cannot write " + *f.out));
  return 0;
}

int Import(const ImportFlags& f) {
  std::ifstream in(f.file, std::ios::binary);
  if (!in) return Fail(Status::NotFound("cannot read " + f.file));
  std::stringstream buf;
  buf << in.rdbuf();
  auto file = api::ParseJson(buf.str(), f.file);
  if (!file.ok()) return Fail(file.status());
  auto opened = OpenStore(f.common);
  if (!opened.ok()) return Fail(opened.status());
  catalog::CatalogService catalog(&opened->store->catalog());
  auto counts = catalog.Import(*file);
  if (!counts.ok()) return Fail(counts.status());
  std::cout << "imported";
  for (auto it = counts->begin(); it != counts->end(); ++it)
    std::cout << " " << it.value() << " " << it.key();
  std::cout << " into " << opened->cfg.data_dir << "\n";
  return 0;
}

}  // namespace

void RegisterCatalog(CLI::App& app, int* exit_code) {
  CLI::App* cat = app.add_subcommand("catalog", "Import and export the catalog");
  cat->require_subcommand(1);

  auto ex = std::make_shared<ExportFlags>();
  CLI::App* exc = cat->add_subcommand(
      "export", "Write the published catalog as RDF (DCAT-AP-NO, SKOS-AP-NO, CPSV-AP-NO)");
  ex->common.AddTo(exc);
  exc->add_option("--kind", ex->kind, "datasets (DCAT-AP-NO catalog), concepts or public-services")
      ->capture_default_str();
  exc->add_option("--format", ex->format, "turtle, jsonld, ntriples or rdfxml")->capture_default_str();
  exc->add_option("--out", ex->out, "Output file (default: standard output)");
  exc->callback([ex, exit_code] { *exit_code = Export(*ex); });

  auto im = std::make_shared<ImportFlags>();
  CLI::App* imc = cat->add_subcommand("import", "Import catalog resources from a JSON file (all or nothing)");
  im->common.AddTo(imc);
  imc->add_option("FILE", im->file, "JSON file: {\"organizations\": [...], \"datasets\": [...], ...}")
      ->required();
  imc->callback([im, exit_code] { *exit_code = Import(*im); });
}

}  // namespace kilde::cli
