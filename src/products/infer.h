// `kilde schema infer`: proposes a schema from the header and sample rows of a data file, for
// the owner to review and edit. A proposal, not a guarantee: every rule below is a heuristic.
//
// Column names: ColumnNameFromHeader(header), "column_N" (1-based) when nothing usable is left,
// and "_2", "_3", ... appended to repeats. When the name differs from the header, the
// description says "Source column: <header>".
//
// Per column, with the non-null values of the sample (null = ParseOptions::null_markers, see
// value.h; missing cells in short rows count as null), the first rule that holds decides the
// type. A column without non-null values is a string.
//  1. fodselsnummer: every value has the form of 11 digits and at least 90 % pass the date and
//     check-digit test (all values need only the form when the name hints fødselsnummer: a token
//     fnr, dnr, pnr, fodselsnummer, fødselsnummer, personnummer, ...).
//  2. organisasjonsnummer: every value is a valid organisasjonsnummer (9 digits, check digit), and
//     the name hints it (orgnr, organisasjonsnummer, ...) or there are at least 3 values (one
//     random 9-digit number passes the check with probability 1/11).
//  3. boolean: every value is a boolean word (true/false/ja/nei/yes/no or 1/0) and at least one
//     is not 1/0 (a column of only 0 and 1 stays integer: counts often look like that).
//  4. integer, then 5. decimal: every value parses — unless a value has a leading zero in its
//     integer part ("030101", "05"): such codes stay strings so that no zero is ever dropped.
//  6. date, then 7. datetime: every value parses.
//  8. enum: at most 20 distinct values, each at most 100 characters, some value repeated, and
//     either at least 20 values or a name that hints a category (bydel, kjønn, kategori,
//     status, gruppe, fylke, kommune, type). Allowed values are those of the sample, in order
//     of first appearance: infer from the whole file where possible.
//  9. string.
// required: the sample has at least one row and no nulls in the column.
// key (at most one column): among the columns with no nulls, all values distinct, at least 2
// rows and type integer, string, fodselsnummer or organisasjonsnummer, the first whose name
// looks like an identifier (a token id, or ending in nr, nummer, kode, ident; or code, key);
// otherwise the only such column if there is exactly one. Key implies required and indexed.
// indexed: key, enum, fodselsnummer and organisasjonsnummer columns.
// personal_data: personal for fodselsnummer columns and names hinting fødselsnummer;
// special_category when the name contains helse, health, diagnos (diagnose, diagnosis) or
// sykdom (any type; false positives are cheaper than a missed art. 9 column).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "products/schema.h"
#include "products/value.h"

namespace kilde::products {

// The schema proposal for `header` and `sample_rows` (each a row of cell texts, in header
// order). Pure; never fails. An empty header gives a schema without columns (not valid by
// ParseSchema); otherwise the result passes ParseSchema.
Schema InferSchema(const std::vector<std::string>& header,
                   const std::vector<std::vector<std::string>>& sample_rows, const ParseOptions& opt);

// A valid column name (IsValidColumnName) made from a file header, or "" if nothing usable
// remains: a leading UTF-8 BOM and surrounding whitespace removed; A-Z and ÆØÅ lowered; other
// Latin-1 letters folded to ASCII (é -> e, ü -> u, ß -> ss); anything but letters, digits, '_',
// '.' and '-' becomes '_', runs of '_' collapse and leading / trailing '_' go; a leading digit,
// '.' or '-' gets a '_' in front; cut to 63 code points. "Skatt for boligeiendommer (kr)" ->
// "skatt_for_boligeiendommer_kr", "skatteår" -> "skatteår". Ingest can match a file header H to
// a column by Schema::Find(H), then Schema::Find(ColumnNameFromHeader(H)).
std::string ColumnNameFromHeader(std::string_view header);

}  // namespace kilde::products
