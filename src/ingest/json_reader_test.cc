#include "ingest/json_reader.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace kilde::ingest {
namespace {

struct Item {
  uint64_t index;
  std::string json;  // dump() of the object
  bool operator==(const Item&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Item& i) { return os << i.index << ":" << i.json; }

struct Read {
  Status status;
  std::vector<Item> items;
};

// Feeds `input` in chunks of the given sizes (the rest in one chunk).
template <typename Reader>
Read Run(std::string_view input, const std::vector<size_t>& chunks = {}, JsonReaderOptions options = {}) {
  Reader reader(options);
  Read r;
  auto fn = [&](const nlohmann::json& obj, uint64_t index) {
    r.items.push_back(Item{index, obj.dump()});
    return Status::Ok();
  };
  size_t pos = 0;
  for (size_t c : chunks) {
    c = std::min(c, input.size() - pos);
    r.status = reader.Feed(input.substr(pos, c), fn);
    pos += c;
    if (!r.status.ok()) return r;
  }
  r.status = reader.Feed(input.substr(pos), fn);
  if (r.status.ok()) r.status = reader.Finish(fn);
  return r;
}

Read RunArray(std::string_view input, const std::vector<size_t>& chunks = {}, JsonReaderOptions o = {}) {
  return Run<JsonArrayReader>(input, chunks, o);
}
Read RunNdjson(std::string_view input, const std::vector<size_t>& chunks = {}, JsonReaderOptions o = {}) {
  return Run<NdjsonReader>(input, chunks, o);
}

// Every two-way split, 1-byte chunks and random chunks give `want`.
template <typename Reader>
void ExpectSplitInvariant(const std::string& input, const std::vector<Item>& want) {
  for (size_t a = 0; a <= input.size(); ++a) {
    Read r = Run<Reader>(input, {a});
    ASSERT_TRUE(r.status.ok()) << "split at " << a << ": " << r.status.message();
    ASSERT_EQ(r.items, want) << "split at " << a;
  }
  Read bytewise = Run<Reader>(input, std::vector<size_t>(input.size(), 1));
  ASSERT_TRUE(bytewise.status.ok()) << bytewise.status.message();
  EXPECT_EQ(bytewise.items, want);
  std::mt19937 rng(3);
  for (int round = 0; round < 100; ++round) {
    std::vector<size_t> chunks;
    for (size_t n = 0; n < input.size(); n += chunks.back()) chunks.push_back(rng() % 11);
    ASSERT_EQ(Run<Reader>(input, chunks).items, want) << "round " << round;
  }
}

TEST(JsonArrayReaderTest, YieldsObjectsWithIndex) {
  Read r = RunArray(" [ {\"a\":1} ,\n{\"b\":\"x\"}]\n ");
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.items, (std::vector<Item>{{0, R"({"a":1})"}, {1, R"({"b":"x"})"}}));
  EXPECT_TRUE(RunArray("[]").items.empty());
  EXPECT_TRUE(RunArray(" [ \n ] ").status.ok());
}

TEST(JsonArrayReaderTest, NestedArraysAndStringsWithBracketsAcrossChunks) {
  const std::string input = R"([{"a":"]},[\"x\\","n":[[1,2],{"c":"{"}],"e":"\\\"]"},)"
                            "\n"
                            R"({"s":"Søndre Nordstrand \u00e5 😀","o":{"p":{"q":[]}}},{})"
                            "]";
  const std::vector<Item> want = {
      {0, R"({"a":"]},[\"x\\","e":"\\\"]","n":[[1,2],{"c":"{"}]})"},
      {1, R"({"o":{"p":{"q":[]}},"s":"Søndre Nordstrand å 😀"})"},
      {2, "{}"},
  };
  EXPECT_EQ(RunArray(input).items, want);
  ExpectSplitInvariant<JsonArrayReader>(input, want);
}

TEST(JsonArrayReaderTest, NonObjectElementNamesIndex) {
  Read r = RunArray(R"([{"a":1}, [1,2], {}])");
  ASSERT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.code(), Code::kInvalidArgument);
  EXPECT_EQ(r.status.message(), "$[1]: element is not a JSON object (it is array)");
  EXPECT_EQ(r.status.details()[0].field, "$[1]");
  EXPECT_EQ(r.status.details()[0].problem, "not_an_object");
  EXPECT_EQ(r.items.size(), 1u);
  EXPECT_EQ(RunArray("[1]").status.message(), "$[0]: element is not a JSON object (it is number)");
  EXPECT_EQ(RunArray(R"([{}, "s"])").status.message(), "$[1]: element is not a JSON object (it is string)");
}

TEST(JsonArrayReaderTest, MalformedElementNamesIndexAndOffset) {
  // Byte 17 is the `}` where the literal `tru` fails.
  const std::string in = R"([{"a":1},{"b":tru},{}])";
  for (const std::vector<size_t>& chunks : {std::vector<size_t>{}, std::vector<size_t>(in.size(), 1)}) {
    Read r = RunArray(in, chunks);
    ASSERT_FALSE(r.status.ok());
    EXPECT_EQ(r.status.message().rfind("$[1]: malformed JSON at byte 17: ", 0), 0u) << r.status.message();
    EXPECT_EQ(r.status.details()[0].problem, "malformed_json");
  }
}

TEST(JsonArrayReaderTest, StructureErrors) {
  EXPECT_EQ(RunArray(R"({"a":1})").status.details()[0].problem, "not_an_array");
  EXPECT_EQ(RunArray("").status.details()[0].problem, "not_an_array");
  EXPECT_EQ(RunArray("[{},]").status.message(), "$[1]: expected an element after ',' at byte 4");
  EXPECT_EQ(RunArray("[{},,{}]").status.details()[0].problem, "malformed_json");
  EXPECT_EQ(RunArray("[{}] {}").status.message(), "$: unexpected data after the end of the array at byte 5");
  EXPECT_EQ(RunArray("[{}}").status.details()[0].problem, "malformed_json");
  Read truncated = RunArray(R"([{"a":1},{"b":)");
  EXPECT_EQ(truncated.status.details()[0].problem, "truncated");
  EXPECT_EQ(truncated.status.details()[0].field, "$[1]");
  EXPECT_EQ(truncated.items.size(), 1u);
  EXPECT_EQ(RunArray(R"([{"a":"unterminated]}])").status.details()[0].problem, "truncated");
}

TEST(JsonArrayReaderTest, Limits) {
  JsonReaderOptions o;
  o.max_element_bytes = 18;
  EXPECT_TRUE(RunArray(R"([{"a":"0123456789"}])", {}, o).status.ok());  // 18 bytes
  Read big = RunArray(R"([{}, {"a":"01234567890"}])", {}, o);
  EXPECT_EQ(big.status.details()[0].problem, "element_too_large");
  EXPECT_EQ(big.status.details()[0].field, "$[1]");
  EXPECT_EQ(RunArray(R"([{}, {"a":"01234567890"}])", {4, 4, 4, 4}, o).status.details()[0].problem,
            "element_too_large");
  JsonReaderOptions d;
  d.max_depth = 3;
  EXPECT_TRUE(RunArray(R"([{"a":[{"b":1}]}])", {}, d).status.ok());
  EXPECT_EQ(RunArray(R"([{"a":[{"b":[]}]}])", {}, d).status.details()[0].problem, "too_deep");
}

TEST(JsonArrayReaderTest, CallbackErrorStops) {
  JsonArrayReader reader;
  int calls = 0;
  auto fn = [&](const nlohmann::json&, uint64_t index) {
    ++calls;
    return index == 1 ? Status::Conflict("stop") : Status::Ok();
  };
  EXPECT_EQ(reader.Feed("[{},{},{}]", fn).message(), "stop");
  EXPECT_EQ(reader.Finish(fn).message(), "stop");
  EXPECT_EQ(calls, 2);
}

TEST(NdjsonReaderTest, YieldsObjectsWithLineNumbers) {
  const std::string input = "{\"a\":1}\n\n  \t\r\n{\"b\":\"x\\ny\"}\r\n{\"c\":[\"}\"]}";
  const std::vector<Item> want = {{1, R"({"a":1})"}, {4, R"({"b":"x\ny"})"}, {5, R"({"c":["}"]})"}};
  EXPECT_EQ(RunNdjson(input).items, want);
  ExpectSplitInvariant<NdjsonReader>(input, want);
  EXPECT_TRUE(RunNdjson("").items.empty());
  EXPECT_EQ(RunNdjson("{}\n").items.size(), 1u);
}

TEST(NdjsonReaderTest, ErrorsNameTheLine) {
  const std::string input = "{\"a\":1}\n{\"a\":2}\n{\"a\":}\n{}\n";
  for (const std::vector<size_t>& chunks : {std::vector<size_t>{}, std::vector<size_t>(input.size(), 1)}) {
    Read r = RunNdjson(input, chunks);
    ASSERT_FALSE(r.status.ok());
    EXPECT_EQ(r.status.message().rfind("line 3: malformed JSON at column 6 (byte 21): ", 0), 0u)
        << r.status.message();
    EXPECT_EQ(r.status.details()[0].field, "line 3");
    EXPECT_EQ(r.items.size(), 2u);
  }
  EXPECT_EQ(RunNdjson("{}\n[1]\n").status.message(), "line 2: line is not a JSON object (it is array)");
  EXPECT_EQ(RunNdjson("{}\n{} {}\n").status.details()[0].problem, "malformed_json");
  EXPECT_EQ(RunNdjson("{}\n{\"a\":").status.details()[0].field, "line 2");  // truncated last line
}

TEST(NdjsonReaderTest, Limits) {
  JsonReaderOptions o;
  o.max_element_bytes = 8;
  EXPECT_TRUE(RunNdjson("{\"a\":12}\r\n", {}, o).status.ok());
  EXPECT_TRUE(RunNdjson("{\"a\":12}\r\n", {3, 3, 3}, o).status.ok());
  EXPECT_EQ(RunNdjson("{}\n{\"a\":123}\n", {}, o).status.details()[0].problem, "line_too_long");
  EXPECT_EQ(RunNdjson("{}\n{\"a\":123456}\n", {4, 4}, o).status.details()[0].field, "line 2");
  JsonReaderOptions d;
  d.max_depth = 2;
  EXPECT_TRUE(RunNdjson("{\"a\":[\"[[[\"]}\n", {}, d).status.ok());
  EXPECT_EQ(RunNdjson("{\"a\":[[]]}\n", {}, d).status.details()[0].problem, "too_deep");
}

}  // namespace
}  // namespace kilde::ingest
