#include "ingest/csv_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/charset.h"

namespace kilde::ingest {
namespace {

struct Row {
  uint64_t line;
  std::vector<std::string> fields;
  bool operator==(const Row&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Row& r) {
  os << r.line << ":";
  for (const auto& f : r.fields) os << "[" << f << "]";
  return os;
}

struct Parsed {
  Status status;
  std::vector<Row> rows;
  char delimiter = 0;
};

// Parses `input` fed in chunks of the given sizes (the rest in one chunk).
Parsed Parse(std::string_view input, CsvOptions options = {}, const std::vector<size_t>& chunks = {}) {
  CsvReader reader(options);
  Parsed p;
  auto fn = [&](const Record& r) {
    p.rows.push_back(Row{r.line, std::vector<std::string>(r.fields.begin(), r.fields.end())});
    return Status::Ok();
  };
  size_t pos = 0;
  for (size_t c : chunks) {
    c = std::min(c, input.size() - pos);
    p.status = reader.Feed(input.substr(pos, c), fn);
    pos += c;
    if (!p.status.ok()) return p;
  }
  p.status = reader.Feed(input.substr(pos), fn);
  if (p.status.ok()) p.status = reader.Finish(fn);
  p.delimiter = reader.delimiter();
  return p;
}

using F = std::vector<std::string>;

TEST(CsvReaderTest, SimpleRecordsWithAndWithoutTrailingNewline) {
  const std::vector<Row> want = {{1, F{"a", "b", "c"}}, {2, F{"1", "2", "3"}}};
  EXPECT_EQ(Parse("a,b,c\n1,2,3\n").rows, want);
  EXPECT_EQ(Parse("a,b,c\n1,2,3").rows, want);
  EXPECT_EQ(Parse("a,b,c\r\n1,2,3\r\n").rows, want);
  EXPECT_EQ(Parse("a,b,c\r1,2,3\r").rows, want);
  EXPECT_TRUE(Parse("").rows.empty());
  EXPECT_TRUE(Parse("\n\r\n\r").rows.empty());
}

TEST(CsvReaderTest, QuotesDoubledQuotesEmbeddedDelimitersAndNewlines) {
  Parsed p =
      Parse("name,comment\n\"Oslo, sentrum\",\"sa \"\"hei\"\"\"\n\"two\r\nlines\",\"x\ny\"\nlast,\"\"\n");
  ASSERT_TRUE(p.status.ok()) << p.status.message();
  const std::vector<Row> want = {{1, F{"name", "comment"}},
                                 {2, F{"Oslo, sentrum", "sa \"hei\""}},
                                 {3, F{"two\r\nlines", "x\ny"}},
                                 {6, F{"last", ""}}};
  EXPECT_EQ(p.rows, want);
}

TEST(CsvReaderTest, EmptyFieldsAndVaryingColumnCounts) {
  const std::vector<Row> want = {
      {1, F{"", "", ""}}, {2, F{"a", ""}}, {3, F{"", "b"}}, {4, F{"only"}}, {5, F{"1", "2", "3", "4", "5"}}};
  EXPECT_EQ(Parse(",,\na,\n,b\nonly\n1,2,3,4,5").rows, want);
}

TEST(CsvReaderTest, EmptyLinesAreSkippedButCountLines) {
  const std::vector<Row> want = {{2, F{"a", "b"}}, {5, F{"1", "2"}}, {7, F{""}}};
  // A line with just "" is a record with one empty field, not an empty line.
  EXPECT_EQ(Parse("\na,b\n\r\n\n1,2\n\n\"\"\n\n").rows, want);
}

TEST(CsvReaderTest, LenientQuotes) {
  const std::vector<Row> want = {{1, F{"5\"", "a\"b", "abc", "x \""}}};
  EXPECT_EQ(Parse("5\",a\"b,\"ab\"c,\"x\" \"\n").rows, want);
}

TEST(CsvReaderTest, UnterminatedQuoteNamesTheLine) {
  Parsed p = Parse("a,b\n1,2\nx,\"open\nmore\n");
  ASSERT_FALSE(p.status.ok());
  EXPECT_EQ(p.status.code(), Code::kInvalidArgument);
  EXPECT_EQ(p.status.message(),
            "line 3, column 2: unterminated quoted field: the quote opened on line 3 is not closed at the "
            "end of the input");
  ASSERT_EQ(p.status.details().size(), 1u);
  EXPECT_EQ(p.status.details()[0].field, "line 3, column 2");
  EXPECT_EQ(p.status.details()[0].problem, "unterminated_quote");
  EXPECT_EQ(p.rows.size(), 2u);
}

TEST(CsvReaderTest, FieldOverTheLimitNamesLineAndColumn) {
  CsvOptions o;
  o.max_field_bytes = 10;
  EXPECT_TRUE(Parse("a,0123456789\n", o).status.ok());
  Parsed p = Parse("a,b\nx,01234567890\n", o);
  ASSERT_FALSE(p.status.ok());
  EXPECT_EQ(p.status.message(), "line 2, column 2: field is longer than the limit of 10 bytes");
  // Same for a quoted field spanning chunks, and the huge default-limit case.
  EXPECT_FALSE(Parse("\"0123456789\"\"\"", o, {3, 3, 3}).status.ok());
  std::string huge = "h\n\"" + std::string((size_t{1} << 20) + 1, 'x') + "\"\n";
  Parsed big = Parse(huge, {}, std::vector<size_t>(20, 65536));
  EXPECT_EQ(big.status.message(), "line 2, column 1: field is longer than the limit of 1048576 bytes");
}

TEST(CsvReaderTest, RecordAndFieldCountLimits) {
  CsvOptions o;
  o.max_record_bytes = 8;
  EXPECT_EQ(Parse("a,b\n1234,5678,9\n", o).status.details()[0].problem, "record_too_long");
  CsvOptions f;
  f.max_fields = 3;
  EXPECT_TRUE(Parse("a,b,c\n", f).status.ok());
  Parsed p = Parse("a,b,c\n1,2,3,4\n", f);
  EXPECT_EQ(p.status.message(), "line 2, column 4: record has more than the limit of 3 fields");
}

TEST(CsvReaderTest, DelimiterDetection) {
  EXPECT_EQ(Parse("a;b;c\n1;2;3\n").delimiter, ';');
  EXPECT_EQ(Parse("a,b;c\n").delimiter, ',');      // tie → ','
  EXPECT_EQ(Parse("single\n1\n").delimiter, ',');  // none → ','
  EXPECT_EQ(Parse("a\tb\tc\n").delimiter, '\t');
  EXPECT_EQ(Parse("a;b,c;d\n").delimiter, ';');
  // Only delimiters outside quotes count, including quoted newlines.
  Parsed q = Parse("\"a,b,c\n,d\";\"e\"\n1;2\n");
  EXPECT_EQ(q.delimiter, ';');
  EXPECT_EQ(q.rows[0], (Row{1, F{"a,b,c\n,d", "e"}}));
  EXPECT_EQ(q.rows[1], (Row{3, F{"1", "2"}}));
  // Leading empty lines are skipped; the header need not end with a newline.
  EXPECT_EQ(Parse("\n\na;b").delimiter, ';');
  // Data lines do not vote: decimal commas after a ';' header.
  EXPECT_EQ(Parse("x;y\n1,5;2,5\n").rows[1], (Row{2, F{"1,5", "2,5"}}));
  // An explicit delimiter wins.
  CsvOptions o;
  o.delimiter = ';';
  EXPECT_EQ(Parse("a,b;c\n", o).rows[0], (Row{1, F{"a,b", "c"}}));
  o.delimiter = '|';
  EXPECT_EQ(Parse("a|b\n", o).rows[0], (Row{1, F{"a", "b"}}));
}

TEST(CsvReaderTest, LeadingBomIsSkipped) {
  const std::string bom = "\xEF\xBB\xBF";
  const std::vector<Row> want = {{1, F{"aar", "bosted"}}, {2, F{"2025", "Gamle Oslo"}}};
  EXPECT_EQ(Parse(bom + "aar;bosted\n2025;Gamle Oslo\n").rows, want);
  CsvOptions o;
  o.delimiter = ';';
  EXPECT_EQ(Parse(bom + "aar;bosted\n2025;Gamle Oslo\n", o, {1, 1, 1}).rows, want);
  EXPECT_EQ(Parse("\xEF\xBB", o).rows, (std::vector<Row>{{1, F{"\xEF\xBB"}}}));
}

TEST(CsvReaderTest, CallbackErrorStopsParsing) {
  CsvReader reader;
  int calls = 0;
  auto fn = [&](const Record& r) {
    ++calls;
    return r.line == 2 ? Status::Invalid("bad row 2") : Status::Ok();
  };
  Status st = reader.Feed("a\nb\nc\nd\n", fn);
  EXPECT_EQ(st.message(), "bad row 2");
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(reader.Feed("e\n", fn).message(), "bad row 2");
  EXPECT_EQ(reader.Finish(fn).message(), "bad row 2");
  EXPECT_EQ(calls, 2);
}

const char kTricky[] =
    "\xEF\xBB\xBF\"id\";\"navn\";\"merknad\"\r\n"
    "1;\"Søndre Nordstrand\";\"sa \"\"hei\"\"; og\r\ngikk\"\r\n"
    "\r\n"
    "2;;\"\"\n"
    "3;Grünerløkka;5\"\r"
    "4;\"a\"b;\"\n\n\"\n"
    ";;\n"
    "5;€;\"😀\"";

TEST(CsvReaderTest, EverySplitGivesIdenticalRecords) {
  const std::string input = kTricky;
  const Parsed whole = Parse(input);
  ASSERT_TRUE(whole.status.ok()) << whole.status.message();
  const std::vector<Row> want = {{1, F{"id", "navn", "merknad"}},
                                 {2, F{"1", "Søndre Nordstrand", "sa \"hei\"; og\r\ngikk"}},
                                 {5, F{"2", "", ""}},
                                 {6, F{"3", "Grünerløkka", "5\""}},
                                 {7, F{"4", "ab", "\n\n"}},
                                 {10, F{"", "", ""}},
                                 {11, F{"5", "€", "😀"}}};
  EXPECT_EQ(whole.rows, want);
  for (char delim : {'\0', ';'}) {
    CsvOptions o;
    o.delimiter = delim;
    for (size_t a = 0; a <= input.size(); ++a) {
      for (size_t b = a; b <= input.size(); b += 7) {
        Parsed p = Parse(input, o, {a, b - a});
        ASSERT_EQ(p.rows, want) << "split at " << a << "," << b;
      }
    }
    EXPECT_EQ(Parse(input, o, std::vector<size_t>(input.size(), 1)).rows, want);
    std::mt19937 rng(7);
    for (int round = 0; round < 200; ++round) {
      std::vector<size_t> chunks;
      for (size_t n = 0; n < input.size(); n += chunks.back()) chunks.push_back(rng() % 9);
      ASSERT_EQ(Parse(input, o, chunks).rows, want) << "round " << round;
    }
  }
}

// ---------------------------------------------------------------------------
// The real Oslo files in /work/shared/data/tabular (see PROVENANCE.md there).

const char kTabular[] = "/work/shared/data/tabular";

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Decodes `bytes` and parses them with delimiter detection, in 4 KiB chunks.
Parsed DecodeAndParse(const std::string& bytes, Charset charset) {
  Decoder decoder(charset);
  CsvReader reader;
  Parsed p;
  auto fn = [&](const Record& r) {
    p.rows.push_back(Row{r.line, std::vector<std::string>(r.fields.begin(), r.fields.end())});
    return Status::Ok();
  };
  std::string text;
  for (size_t pos = 0; pos < bytes.size(); pos += 4096) {
    text.clear();
    p.status = decoder.Feed(std::string_view(bytes).substr(pos, 4096), &text);
    if (p.status.ok()) p.status = reader.Feed(text, fn);
    if (!p.status.ok()) return p;
  }
  p.status = decoder.Finish(&text);
  if (p.status.ok()) p.status = reader.Finish(fn);
  p.delimiter = reader.delimiter();
  return p;
}

TEST(CsvReaderTest, RealOsloFiles) {
  if (!std::filesystem::is_directory(kTabular)) GTEST_SKIP() << kTabular << " is not available";
  const std::vector<std::tuple<std::string, Charset, char, size_t>> files = {
      {"oslo_KOM011_eiendomsskatt_bydel_2023-2026_latin1.csv", Charset::kLatin1, ';', 77},
      {"oslo_VAL001_valgdeltagelse_2023_latin1.csv", Charset::kLatin1, ';', 2479},
      {"ssb_klass_1236_orgnr_kommunenr_2023_latin1.csv", Charset::kLatin1, ';', 357},
      {"oslo_SYS002_sysselsatte_delbydel_2024.csv", Charset::kUtf8, ';', 2125},
      {"oslo_BEF029_innvandrere_botid_bydel_2025.csv", Charset::kUtf8, ';', 171},
      {"oslobysykkel_trips_2020-01_header_only.csv", Charset::kUtf8, ',', 1},
  };
  for (const auto& [name, charset, delimiter, records] : files) {
    SCOPED_TRACE(name);
    const std::string bytes = ReadFile(std::filesystem::path(kTabular) / name);
    ASSERT_FALSE(bytes.empty());
    Parsed p = DecodeAndParse(bytes, charset);
    ASSERT_TRUE(p.status.ok()) << p.status.message();
    EXPECT_EQ(p.delimiter, delimiter);
    ASSERT_EQ(p.rows.size(), records);
    for (const Row& r : p.rows) EXPECT_EQ(r.fields.size(), p.rows[0].fields.size()) << r;
    if (charset == Charset::kLatin1) {
      // Without the charset the upload is refused with the offset and a hint.
      Parsed refused = DecodeAndParse(bytes, Charset::kUtf8);
      EXPECT_NE(refused.status.message().find("charset=windows-1252"), std::string::npos);
    }
  }
}

TEST(CsvReaderTest, RealLatin1FileDecodesNorwegianLetters) {
  if (!std::filesystem::is_directory(kTabular)) GTEST_SKIP() << kTabular << " is not available";
  const std::string bytes =
      ReadFile(std::filesystem::path(kTabular) / "oslo_KOM011_eiendomsskatt_bydel_2023-2026_latin1.csv");
  Parsed p = DecodeAndParse(bytes, Charset::kLatin1);
  ASSERT_TRUE(p.status.ok()) << p.status.message();
  ASSERT_FALSE(p.rows.empty());
  EXPECT_EQ(p.rows[0].fields[0], "skatteår");
  EXPECT_EQ(p.rows[0].fields[1], "område");
  bool found = false;
  for (const Row& r : p.rows) found = found || r.fields[1] == "15 Bydel Søndre Nordstrand";
  EXPECT_TRUE(found);
  // The first non-ASCII byte (å in "skatteår") is where UTF-8 decoding stops.
  EXPECT_NE(DecodeAndParse(bytes, Charset::kUtf8).status.message().find("invalid UTF-8 at byte 7;"),
            std::string::npos);
}

}  // namespace
}  // namespace kilde::ingest
