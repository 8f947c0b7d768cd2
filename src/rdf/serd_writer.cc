// Turtle and N-Triples through serd (escaping and abbreviation are serd's).
#include <serd/serd.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "rdf/graph.h"
#include "rdf/vocab.h"
#include "rdf/writers.h"

namespace kilde::rdf {
namespace {

const uint8_t* U8(const std::string& s) { return reinterpret_cast<const uint8_t*>(s.c_str()); }

size_t AppendToString(const void* buf, size_t len, void* stream) {
  static_cast<std::string*>(stream)->append(static_cast<const char*>(buf), len);
  return len;
}

// Owns a SerdWriter + SerdEnv and the output string; frees both on destruction.
class SerdOutput {
 public:
  SerdOutput(SerdSyntax syntax, SerdStyle style) {
    env_ = serd_env_new(nullptr);
    writer_ = serd_writer_new(syntax, style, env_, nullptr, &AppendToString, &out_);
  }
  ~SerdOutput() {
    if (writer_ != nullptr) serd_writer_free(writer_);
    if (env_ != nullptr) serd_env_free(env_);
  }
  SerdOutput(const SerdOutput&) = delete;
  SerdOutput& operator=(const SerdOutput&) = delete;

  Status SetPrefix(const std::string& name, const std::string& iri) {
    SerdNode n = serd_node_from_string(SERD_LITERAL, U8(name));
    SerdNode u = serd_node_from_string(SERD_URI, U8(iri));
    if (serd_env_set_prefix(env_, &n, &u) != SERD_SUCCESS ||
        serd_writer_set_prefix(writer_, &n, &u) != SERD_SUCCESS) {
      return Status::Internal("serd: cannot declare prefix " + name);
    }
    return Status::Ok();
  }

  Status Write(SerdStatementFlags flags, const Triple& t) {
    SerdNode s = Node(t.subject);
    SerdNode p = Node(t.predicate);
    SerdNode o = Node(t.object);
    SerdNode datatype = SERD_NODE_NULL;
    SerdNode lang = SERD_NODE_NULL;
    if (t.object.is_literal()) {
      if (!t.object.language.empty()) {
        if (!IsValidLanguageTag(t.object.language)) {
          return Status::Invalid("malformed language tag \"" + t.object.language + "\"");
        }
        lang = serd_node_from_string(SERD_LITERAL, U8(t.object.language));
      } else if (!t.object.datatype.empty()) {
        datatype = serd_node_from_string(SERD_URI, U8(t.object.datatype));
      }
    }
    SerdStatus st = serd_writer_write_statement(
        writer_, flags, nullptr, &s, &p, &o, datatype.buf ? &datatype : nullptr, lang.buf ? &lang : nullptr);
    if (st != SERD_SUCCESS)
      return Status::Internal(std::string("serd: ") + reinterpret_cast<const char*>(serd_strerror(st)));
    return Status::Ok();
  }

  Status EndAnon(const Term& blank) {
    SerdNode n = Node(blank);
    if (serd_writer_end_anon(writer_, &n) != SERD_SUCCESS) return Status::Internal("serd: end_anon failed");
    return Status::Ok();
  }

  Result<std::string> Finish() {
    if (serd_writer_finish(writer_) != SERD_SUCCESS) return Status::Internal("serd: finish failed");
    return std::move(out_);
  }

 private:
  static SerdNode Node(const Term& t) {
    switch (t.kind) {
      case TermKind::kIri:
        return serd_node_from_string(SERD_URI, U8(t.value));
      case TermKind::kBlank:
        return serd_node_from_string(SERD_BLANK, U8(t.value));
      case TermKind::kLiteral:
        return serd_node_from_string(SERD_LITERAL, U8(t.value));
    }
    return SERD_NODE_NULL;
  }

  std::string out_;
  SerdEnv* env_ = nullptr;
  SerdWriter* writer_ = nullptr;
};

const std::string& RdfType() {
  static const std::string kType = std::string(kRdf) + "type";
  return kType;
}

// The triples of one subject with rdf:type first, otherwise in Graph order.
std::vector<const Triple*> TriplesOf(const std::set<Triple>& all, const Term& subject) {
  std::vector<const Triple*> types, rest;
  for (auto it = all.lower_bound(Triple{subject, Term{}, Term{}}); it != all.end() && it->subject == subject;
       ++it) {
    (it->predicate.value == RdfType() ? types : rest).push_back(&*it);
  }
  types.insert(types.end(), rest.begin(), rest.end());
  return types;
}

class TurtleWriter {
 public:
  explicit TurtleWriter(const Graph& g)
      : graph_(g), out_(SERD_TURTLE, static_cast<SerdStyle>(SERD_STYLE_ABBREVIATED | SERD_STYLE_CURIED)) {
    // A blank node is written inline when it is the object of exactly one triple and
    // that triple's subject is not itself (no self-loop).
    std::map<Term, int> uses;
    for (const Triple& t : g.triples()) {
      if (t.object.is_blank()) uses[t.object] += (t.subject == t.object) ? 2 : 1;
    }
    for (const auto& [term, n] : uses) {
      if (n == 1) inline_.insert(term);
    }
  }

  Result<std::string> Run() {
    for (const auto& [name, iri] : graph_.UsedPrefixes()) KILDE_RETURN_IF_ERROR(out_.SetPrefix(name, iri));
    std::set<Term> subjects;
    for (const Triple& t : graph_.triples()) subjects.insert(t.subject);
    for (const Term& s : subjects) {
      if (inline_.count(s)) continue;
      KILDE_RETURN_IF_ERROR(WriteSubject(s, 0));
    }
    // Inline candidates on a cycle of blank nodes are never reached from a named
    // subject; write whatever is left as top-level blocks so nothing is lost.
    for (const Term& s : subjects) {
      if (inline_.count(s) && !written_.count(s)) {
        inline_.erase(s);
        KILDE_RETURN_IF_ERROR(WriteSubject(s, 0));
      }
    }
    return out_.Finish();
  }

 private:
  // `flags` is SERD_ANON_CONT when `subject` is an inline blank node being written.
  Status WriteSubject(const Term& subject, SerdStatementFlags flags) {
    written_.insert(subject);
    for (const Triple* t : TriplesOf(graph_.triples(), subject)) {
      const Term& o = t->object;
      if (o.is_blank() && inline_.count(o) && !written_.count(o)) {
        bool empty = graph_.triples().lower_bound(Triple{o, Term{}, Term{}}) == graph_.triples().end() ||
                     graph_.triples().lower_bound(Triple{o, Term{}, Term{}})->subject != o;
        if (empty) {
          written_.insert(o);
          KILDE_RETURN_IF_ERROR(out_.Write(flags | SERD_EMPTY_O, *t));
          continue;
        }
        KILDE_RETURN_IF_ERROR(out_.Write(flags | SERD_ANON_O_BEGIN, *t));
        KILDE_RETURN_IF_ERROR(WriteSubject(o, SERD_ANON_CONT));
        KILDE_RETURN_IF_ERROR(out_.EndAnon(o));
      } else {
        KILDE_RETURN_IF_ERROR(out_.Write(flags, *t));
      }
    }
    return Status::Ok();
  }

  const Graph& graph_;
  SerdOutput out_;
  std::set<Term> inline_;
  std::set<Term> written_;
};

}  // namespace

Result<std::string> ToTurtle(const Graph& graph) { return TurtleWriter(graph).Run(); }

Result<std::string> ToNTriples(const Graph& graph) {
  SerdOutput out(SERD_NTRIPLES, static_cast<SerdStyle>(0));
  for (const Triple& t : graph.triples()) KILDE_RETURN_IF_ERROR(out.Write(0, t));
  return out.Finish();
}

}  // namespace kilde::rdf
