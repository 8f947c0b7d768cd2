#!/usr/bin/env node
// SHACL-validates RDF files the way Digdir's validator (dcat-ap-no-validator-service)
// does, with local copies of everything it would fetch.
//
// Usage:
//   node validate.mjs --shapes SHAPES.ttl [--ontologies ONTOLOGIES.ttl] [--vocab DIR]
//                     [--expect-fail] DATA_FILE...
//
// For each DATA_FILE (Turtle .ttl, JSON-LD .jsonld/.json, N-Triples .nt, RDF/XML .rdf/.xml):
//   data graph = the file
//              + the owl:imports of --ontologies that have a local copy (IMPORTS below;
//                the others are listed as unavailable)
//              + "expansion": for every IRI the file uses as an object (not of rdf:type)
//                without describing it, the triples about that IRI found in the
//                vocabulary files of --vocab (with the blank nodes they reach),
//                like the validator's _expand_objects_triples fetching each such IRI.
// Prints every result (violations and warnings, readably) and exits
//   0  no sh:Violation (warnings and infos are reported but do not fail),
//   1  at least one sh:Violation,
//   2  usage, I/O or parse error.
// With --expect-fail the meaning of 0 and 1 is swapped for the data files (a file that
// validates is then the failure); errors stay 2.
import fs from 'node:fs'
import path from 'node:path'
import { Readable } from 'node:stream'
import rdf from '@zazuko/env-node'
import SHACLValidator from 'rdf-validate-shacl'

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type'
const OWL_IMPORTS = 'http://www.w3.org/2002/07/owl#imports'
const SH = 'http://www.w3.org/ns/shacl#'

// owl:imports IRI (from shacl/*_ontologies.ttl) -> file in the --vocab directory.
const IMPORTS = {
  // The validator's own test mock of this remote graph.
  'http://publications.europa.eu/resource/authority/licence': 'eu_licence_20201216-0.rdf',
}

const MEDIA_TYPES = {
  '.ttl': 'text/turtle',
  '.nt': 'application/n-triples',
  '.jsonld': 'application/ld+json',
  '.json': 'application/ld+json',
  '.rdf': 'application/rdf+xml',
  '.xml': 'application/rdf+xml',
  '.owl': 'application/rdf+xml',
}

class UsageError extends Error {}

function parseArgs (argv) {
  const opts = { shapes: null, ontologies: null, vocab: null, expectFail: false, data: [] }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const next = () => {
      if (i + 1 >= argv.length) throw new UsageError(`${a} needs a value`)
      return argv[++i]
    }
    if (a === '--shapes') opts.shapes = next()
    else if (a === '--ontologies') opts.ontologies = next()
    else if (a === '--vocab') opts.vocab = next()
    else if (a === '--expect-fail') opts.expectFail = true
    else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`)
    else opts.data.push(a)
  }
  if (!opts.shapes || opts.data.length === 0) throw new UsageError('need --shapes and at least one data file')
  return opts
}

async function load (file) {
  const mediaType = MEDIA_TYPES[path.extname(file).toLowerCase()]
  if (!mediaType) throw new Error(`${file}: unknown RDF file extension`)
  const text = fs.readFileSync(file, 'utf8') // throws on a missing file
  const stream = rdf.formats.parsers.import(mediaType, Readable.from([text]),
    { baseIRI: 'file://' + path.resolve(file) })
  if (!stream) throw new Error(`${file}: no parser for ${mediaType}`)
  try {
    return await rdf.dataset().import(stream)
  } catch (e) {
    throw new Error(`${file}: cannot parse as ${mediaType}: ${e.message}`)
  }
}

// Human-readable form of a term; blank nodes are described by what points at them.
function show (term, data) {
  if (!term) return '-'
  if (term.termType === 'NamedNode') return `<${term.value}>`
  if (term.termType === 'Literal') {
    const v = term.value.length > 60 ? term.value.slice(0, 57) + '...' : term.value
    return JSON.stringify(v) + (term.language ? `@${term.language}` : '')
  }
  if (term.termType === 'BlankNode' && data) {
    for (const q of data.match(null, null, term)) {
      return `[] (the ${shortIri(q.predicate.value)} of ${show(q.subject, data)})`
    }
  }
  return `_:${term.value}`
}

function shortIri (iri) {
  const m = /[#/]([^#/]+)$/.exec(iri)
  return m ? m[1] : iri
}

function pickMessage (messages) {
  if (!messages || messages.length === 0) return ''
  const en = messages.find(m => m.language === 'en')
  return (en || messages[0]).value
}

function showPath (p) {
  if (!p) return '-'
  if (p.termType === 'NamedNode') return shortPrefixed(p.value)
  return '(complex path)'
}

const PREFIXES = {
  'http://www.w3.org/ns/dcat#': 'dcat:',
  'http://purl.org/dc/terms/': 'dct:',
  'http://xmlns.com/foaf/0.1/': 'foaf:',
  'http://www.w3.org/2004/02/skos/core#': 'skos:',
  'http://www.w3.org/2006/vcard/ns#': 'vcard:',
  'http://data.europa.eu/m8g/': 'cv:',
  'http://purl.org/vocab/cpsv#': 'cpsv:',
  'https://data.norge.no/vocabulary/cpsvno#': 'cpsvno:',
  'https://data.norge.no/vocabulary/dcatno#': 'dcatno:',
  'https://data.norge.no/vocabulary/skosno#': 'skosno:',
  'http://publications.europa.eu/ontology/euvoc#': 'euvoc:',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#': 'rdf:',
  'http://www.w3.org/ns/shacl#': 'sh:',
}

function shortPrefixed (iri) {
  for (const [ns, p] of Object.entries(PREFIXES)) {
    if (iri.startsWith(ns)) return p + iri.slice(ns.length)
  }
  return `<${iri}>`
}

// Adds to `target` the triples of `source` about `subject` and the blank nodes they reach.
function addDescription (target, source, subject, seen) {
  if (seen.has(subject)) return
  seen.add(subject)
  for (const q of source.match(subject, null, null)) {
    target.add(q)
    if (q.object.termType === 'BlankNode') addDescription(target, source, q.object, seen)
  }
}

async function loadVocabularies (dir) {
  if (!dir) return []
  const files = fs.readdirSync(dir).filter(f => /\.(ttl|rdf|nt|jsonld)$/.test(f)).sort()
  const out = []
  for (const f of files) out.push({ name: f, dataset: await load(path.join(dir, f)) })
  return out
}

async function loadImports (ontologiesFile, vocabDir) {
  if (!ontologiesFile) return { graphs: [], missing: [] }
  const ont = await load(ontologiesFile)
  const graphs = []
  const missing = []
  for (const q of ont.match(null, rdf.namedNode(OWL_IMPORTS), null)) {
    const local = IMPORTS[q.object.value]
    if (local && vocabDir && fs.existsSync(path.join(vocabDir, local))) {
      graphs.push({ iri: q.object.value, file: local, dataset: await load(path.join(vocabDir, local)) })
    } else {
      missing.push(q.object.value)
    }
  }
  return { graphs, missing }
}

function expand (data, vocabularies) {
  const described = new Set()
  for (const q of data) described.add(q.subject.value)
  const wanted = new Map()
  for (const q of data) {
    if (q.predicate.value === RDF_TYPE || q.object.termType !== 'NamedNode') continue
    if (!described.has(q.object.value)) wanted.set(q.object.value, q.object)
  }
  const extra = rdf.dataset()
  let found = 0
  for (const node of wanted.values()) {
    let hit = false
    for (const v of vocabularies) {
      const before = extra.size
      addDescription(extra, v.dataset, node, new Set())
      if (extra.size > before) hit = true
    }
    if (hit) found++
  }
  return { extra, referenced: wanted.size, found }
}

async function validateFile (file, shapes, imports, vocabularies, expectFail) {
  const data = await load(file)
  const graph = rdf.dataset()
  for (const q of data) graph.add(q)
  for (const g of imports.graphs) for (const q of g.dataset) graph.add(q)
  const { extra, referenced, found } = expand(data, vocabularies)
  for (const q of extra) graph.add(q)

  const validator = new SHACLValidator(shapes, { factory: rdf, allowNamedNodeInList: true })
  const report = await validator.validate(graph)
  const counts = { Violation: 0, Warning: 0, Info: 0 }
  const lines = []
  for (const r of report.results) {
    const severity = r.severity ? r.severity.value.replace(SH, '') : 'Violation'
    counts[severity] = (counts[severity] || 0) + 1
    lines.push({
      severity,
      text: `  ${severity.toUpperCase()}: ${show(r.focusNode, graph)}\n` +
        `      path ${showPath(r.path)}` + (r.value ? `, value ${show(r.value, graph)}` : '') + '\n' +
        `      ${pickMessage(r.message) || shortPrefixed(r.sourceConstraintComponent?.value || '')}\n` +
        `      (shape ${r.sourceShape ? show(r.sourceShape) : '-'}, ` +
        `${r.sourceConstraintComponent ? shortPrefixed(r.sourceConstraintComponent.value) : '-'})`,
    })
  }
  lines.sort((a, b) => (a.severity === b.severity ? a.text.localeCompare(b.text) : a.severity === 'Violation' ? -1 : 1))
  console.log(`${file}: ${data.size} triples + ${extra.size} from vocabularies ` +
    `(${found}/${referenced} referenced IRIs described) + ${imports.graphs.reduce((n, g) => n + g.dataset.size, 0)} imported`)
  for (const l of lines) console.log(l.text)
  const violations = counts.Violation
  const verdict = violations > 0 ? 'FAIL' : 'PASS'
  console.log(`${file}: ${verdict}: ${violations} violation(s), ${counts.Warning} warning(s), ${counts.Info} info(s)` +
    (expectFail ? ` (expected to fail: ${violations > 0 ? 'ok' : 'NOT OK'})` : ''))
  return expectFail ? violations > 0 : violations === 0
}

async function main () {
  let opts
  try {
    opts = parseArgs(process.argv.slice(2))
  } catch (e) {
    console.error(`validate.mjs: ${e.message}`)
    return 2
  }
  try {
    const shapes = await load(opts.shapes)
    const imports = await loadImports(opts.ontologies, opts.vocab)
    const vocabularies = await loadVocabularies(opts.vocab)
    console.log(`shapes ${path.basename(opts.shapes)} (${shapes.size} triples); ` +
      `${vocabularies.length} vocabulary files; imports: ` +
      (imports.graphs.map(g => `${g.iri} <- ${g.file}`).join(', ') || 'none'))
    if (imports.missing.length > 0) console.log(`  imports without a local copy (not loaded): ${imports.missing.join(' ')}`)
    let ok = true
    for (const f of opts.data) {
      if (!(await validateFile(f, shapes, imports, vocabularies, opts.expectFail))) ok = false
    }
    return ok ? 0 : 1
  } catch (e) {
    console.error(`validate.mjs: ERROR: ${e.message}`)
    return 2
  }
}

process.exitCode = await main()
