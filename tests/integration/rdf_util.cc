#include "rdf_util.h"

#include <serd/serd.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>

namespace kilde::it {
namespace {

struct ParseState {
  SerdEnv* env;
  std::vector<Triple> triples;
  std::string error;
};

std::string NodeText(SerdEnv* env, const SerdNode* n) {
  const std::string raw(reinterpret_cast<const char*>(n->buf), n->n_bytes);
  if (n->type == SERD_BLANK) return "_:" + raw;
  if (n->type == SERD_CURIE) {
    SerdNode full = serd_env_expand_node(env, n);
    std::string out = full.buf ? std::string(reinterpret_cast<const char*>(full.buf), full.n_bytes) : raw;
    serd_node_free(&full);
    return out;
  }
  return raw;
}

SerdStatus OnBase(void* handle, const SerdNode* uri) {
  return serd_env_set_base_uri(static_cast<ParseState*>(handle)->env, uri);
}

SerdStatus OnPrefix(void* handle, const SerdNode* name, const SerdNode* uri) {
  return serd_env_set_prefix(static_cast<ParseState*>(handle)->env, name, uri);
}

SerdStatus OnStatement(void* handle, SerdStatementFlags, const SerdNode*, const SerdNode* s,
                       const SerdNode* p, const SerdNode* o, const SerdNode*, const SerdNode*) {
  auto* st = static_cast<ParseState*>(handle);
  st->triples.push_back({NodeText(st->env, s), NodeText(st->env, p), NodeText(st->env, o)});
  return SERD_SUCCESS;
}

SerdStatus OnError(void* handle, const SerdError* e) {
  auto* st = static_cast<ParseState*>(handle);
  char buf[512];
  std::vsnprintf(buf, sizeof buf, e->fmt, *e->args);
  st->error = "line " + std::to_string(e->line) + ", column " + std::to_string(e->col) + ": " + buf;
  return SERD_SUCCESS;
}

}  // namespace

std::optional<std::vector<Triple>> ParseRdf(const std::string& text, bool ntriples, std::string* error) {
  ParseState st;
  st.env = serd_env_new(nullptr);
  SerdReader* reader = serd_reader_new(ntriples ? SERD_NTRIPLES : SERD_TURTLE, &st, nullptr, OnBase, OnPrefix,
                                       OnStatement, nullptr);
  serd_reader_set_error_sink(reader, OnError, &st);
  SerdStatus status = serd_reader_read_string(reader, reinterpret_cast<const uint8_t*>(text.c_str()));
  serd_reader_free(reader);
  serd_env_free(st.env);
  if (status != SERD_SUCCESS || !st.error.empty()) {
    if (error) *error = st.error.empty() ? std::string("serd status ") + std::to_string(status) : st.error;
    return std::nullopt;
  }
  return std::move(st.triples);
}

bool HasTriple(const std::vector<Triple>& g, const std::string& s, const std::string& p,
               const std::string& o) {
  return std::any_of(g.begin(), g.end(), [&](const Triple& t) { return t.s == s && t.p == p && t.o == o; });
}

std::set<std::string> Nodes(const std::vector<Triple>& g) {
  std::set<std::string> out;
  for (const auto& t : g) {
    out.insert(t.s);
    out.insert(t.o);
  }
  return out;
}

std::set<std::string> OfType(const std::vector<Triple>& g, const std::string& type) {
  std::set<std::string> out;
  for (const auto& t : g)
    if (t.p == kRdfType && t.o == type) out.insert(t.s);
  return out;
}

}  // namespace kilde::it
