#include "query/row_writer.h"

#include <gtest/gtest.h>

namespace kilde::query {
namespace {

using products::ColumnType;
using store::Cell;
using store::CellKind;

const std::vector<std::string> kNames = {"navn", "år \"x\"", "andel", "aktiv"};
const std::vector<ColumnType> kTypes = {ColumnType::kString, ColumnType::kInteger, ColumnType::kDecimal,
                                        ColumnType::kBoolean};
const std::vector<std::vector<Cell>> kRows = {
    {Cell{CellKind::kText, 0, 0, "Ålesund, \"sør\"\n\\ \x01\t"}, Cell{CellKind::kInt, -42, 0, ""},
     Cell{CellKind::kReal, 0, 0.1, ""}, Cell{CellKind::kInt, 1, 0, ""}},
    {Cell{CellKind::kText, 0, 0, ""}, Cell{}, Cell{CellKind::kReal, 0, 1e21, ""},
     Cell{CellKind::kInt, 0, 0, ""}},
    {Cell{}, Cell{CellKind::kInt, 9007199254740993, 0, ""}, Cell{CellKind::kReal, 0, -2.5, ""}, Cell{}},
};

std::string Write(std::string_view format, std::optional<std::string> cursor, std::optional<int64_t> total) {
  std::string out;
  auto w = MakeRowWriter(format, &out);
  EXPECT_NE(w, nullptr);
  w->Begin(kNames);
  for (const auto& r : kRows) w->Row(r, kTypes);
  w->End(cursor, total);
  return out;
}

TEST(RowWriter, Json) {
  EXPECT_EQ(Write("json", "abc", 3),
            "{\"items\":["
            "{\"navn\":\"Ålesund, \\\"sør\\\"\\n\\\\ \\u0001\\t\",\"år "
            "\\\"x\\\"\":-42,\"andel\":0.1,\"aktiv\":true},"
            "{\"navn\":\"\",\"år \\\"x\\\"\":null,\"andel\":1e+21,\"aktiv\":false},"
            "{\"navn\":null,\"år \\\"x\\\"\":9007199254740993,\"andel\":-2.5,\"aktiv\":null}"
            "],\"next_cursor\":\"abc\",\"total\":3}");
  std::string out;
  auto w = MakeRowWriter("json", &out);
  w->Begin({"a"});
  w->End(std::nullopt, std::nullopt);
  EXPECT_EQ(out, "{\"items\":[],\"next_cursor\":null}");
  EXPECT_EQ(w->content_type(), "application/json");
}

TEST(RowWriter, Ndjson) {
  EXPECT_EQ(Write("ndjson", "abc", 3),
            "{\"navn\":\"Ålesund, \\\"sør\\\"\\n\\\\ \\u0001\\t\",\"år "
            "\\\"x\\\"\":-42,\"andel\":0.1,\"aktiv\":true}\n"
            "{\"navn\":\"\",\"år \\\"x\\\"\":null,\"andel\":1e+21,\"aktiv\":false}\n"
            "{\"navn\":null,\"år \\\"x\\\"\":9007199254740993,\"andel\":-2.5,\"aktiv\":null}\n");
  EXPECT_EQ(PagingHeaders("abc", 3), (http::Params{{"X-Next-Cursor", "abc"}, {"X-Total-Count", "3"}}));
  EXPECT_TRUE(PagingHeaders(std::nullopt, std::nullopt).empty());
}

TEST(RowWriter, Csv) {
  EXPECT_EQ(Write("csv", "abc", 3),
            "navn,\"år \"\"x\"\"\",andel,aktiv\r\n"
            "\"Ålesund, \"\"sør\"\"\n\\ \x01\t\",-42,0.1,true\r\n"
            "\"\",,1e+21,false\r\n"
            ",9007199254740993,-2.5,\r\n");
}

TEST(RowWriter, StreamingIsDeterministicAndChunkable) {
  std::string out, all;
  auto w = MakeRowWriter("json", &out);
  w->Begin(kNames);
  for (const auto& r : kRows) {
    w->Row(r, kTypes);
    all += out;  // the HTTP layer flushes and clears between rows
    out.clear();
  }
  w->End("abc", 3);
  all += out;
  EXPECT_EQ(all, Write("json", "abc", 3));
  EXPECT_EQ(MakeRowWriter("xml", &out), nullptr);
}

TEST(RowWriter, ChooseFormat) {
  EXPECT_EQ(ChooseFormat("csv", "application/json"), "csv");
  EXPECT_EQ(ChooseFormat("", ""), "json");
  EXPECT_EQ(ChooseFormat("", "text/csv;q=0.9, application/json"), "csv");
  EXPECT_EQ(ChooseFormat("", "image/png, Application/X-NDJSON"), "ndjson");
  EXPECT_EQ(ChooseFormat("", "*/*"), "json");
  EXPECT_EQ(ChooseFormat("", "image/png"), std::nullopt);
}

}  // namespace
}  // namespace kilde::query
