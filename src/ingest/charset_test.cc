#include "ingest/charset.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace kilde::ingest {
namespace {

struct Decoded {
  Status status;
  std::string text;
};

// Decodes `input` fed in chunks of the given sizes (the rest in one chunk).
Decoded Decode(std::string_view input, Charset charset, const std::vector<size_t>& chunks = {}) {
  Decoder d(charset);
  Decoded r;
  size_t pos = 0;
  for (size_t c : chunks) {
    c = std::min(c, input.size() - pos);
    r.status = d.Feed(input.substr(pos, c), &r.text);
    pos += c;
    if (!r.status.ok()) return r;
  }
  r.status = d.Feed(input.substr(pos), &r.text);
  if (r.status.ok()) r.status = d.Finish(&r.text);
  return r;
}

Decoded DecodeBytewise(std::string_view input, Charset charset) {
  return Decode(input, charset, std::vector<size_t>(input.size(), 1));
}

TEST(CharsetTest, NamesAreCaseInsensitive) {
  EXPECT_EQ(CharsetFromName("UTF-8"), Charset::kUtf8);
  EXPECT_EQ(CharsetFromName("utf8"), Charset::kUtf8);
  EXPECT_EQ(CharsetFromName("ISO-8859-1"), Charset::kLatin1);
  EXPECT_EQ(CharsetFromName("iso_8859-1"), Charset::kLatin1);
  EXPECT_EQ(CharsetFromName("Latin1"), Charset::kLatin1);
  EXPECT_EQ(CharsetFromName("L1"), Charset::kLatin1);
  EXPECT_EQ(CharsetFromName("Windows-1252"), Charset::kWindows1252);
  EXPECT_EQ(CharsetFromName("CP1252"), Charset::kWindows1252);
  EXPECT_EQ(CharsetFromName("\"windows-1252\""), Charset::kWindows1252);  // quoted parameter value
  EXPECT_EQ(CharsetFromName("utf-16"), std::nullopt);
  EXPECT_EQ(CharsetFromName(""), std::nullopt);
  EXPECT_EQ(CharsetName(Charset::kWindows1252), "windows-1252");
}

TEST(DecoderTest, Utf8PassesThroughAndStripsLeadingBom) {
  const std::string text = "bydel;navn\n15;Søndre Nordstrand €😀\n";
  EXPECT_EQ(Decode(text, Charset::kUtf8).text, text);
  EXPECT_EQ(Decode("\xEF\xBB\xBF" + text, Charset::kUtf8).text, text);
  EXPECT_EQ(DecodeBytewise("\xEF\xBB\xBF" + text, Charset::kUtf8).text, text);
  EXPECT_EQ(Decode("\xEF\xBB\xBF" + text, Charset::kUtf8, {2}).text, text);
  // U+FEFF later in the text is data.
  EXPECT_EQ(Decode("a\xEF\xBB\xBF", Charset::kUtf8).text, "a\xEF\xBB\xBF");
  EXPECT_EQ(DecodeBytewise("a\xEF\xBB\xBF", Charset::kUtf8).text, "a\xEF\xBB\xBF");
  EXPECT_EQ(Decode("\xEF\xBB\xBF", Charset::kUtf8).text, "");
}

TEST(DecoderTest, InvalidUtf8NamesOffsetAndSuggestsCharset) {
  Decoded r = Decode(
      "skatte\xE5r;omr\xE5"
      "de",
      Charset::kUtf8);  // Latin-1 "skatteår"
  ASSERT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.code(), Code::kInvalidArgument);
  EXPECT_EQ(r.status.message(),
            "invalid UTF-8 at byte 6; if the file is Windows-1252 or ISO-8859-1, send it with "
            "charset=windows-1252 (e.g. Content-Type: text/csv; charset=windows-1252)");
}

TEST(DecoderTest, OffsetIsAbsoluteAcrossChunksAndFastPath) {
  for (size_t pos = 0; pos < 40; ++pos) {
    std::string s(48, 'x');
    s[pos] = '\xFF';
    for (size_t chunk : {1, 3, 7, 16, 100}) {
      Decoded r = Decode(s, Charset::kUtf8, std::vector<size_t>(48 / chunk + 1, chunk));
      ASSERT_FALSE(r.status.ok());
      EXPECT_NE(r.status.message().find("at byte " + std::to_string(pos) + ";"), std::string::npos)
          << pos << " " << chunk << " " << r.status.message();
    }
  }
  // The offset counts a stripped BOM.
  Decoded r = Decode(
      "\xEF\xBB\xBF"
      "ab\x80",
      Charset::kUtf8);
  EXPECT_NE(r.status.message().find("at byte 5;"), std::string::npos);
}

TEST(DecoderTest, RejectsOverlongsSurrogatesAndOutOfRange) {
  const std::vector<std::string> bad = {
      "\xC0\x80",          // overlong NUL
      "\xC1\xBF",          // overlong
      "\xE0\x80\x80",      // overlong 3-byte
      "\xE0\x9F\xBF",      // overlong 3-byte
      "\xF0\x80\x80\x80",  // overlong 4-byte
      "\xF0\x8F\xBF\xBF",  // overlong 4-byte
      "\xED\xA0\x80",      // U+D800 surrogate
      "\xED\xBF\xBF",      // U+DFFF surrogate
      "\xF4\x90\x80\x80",  // U+110000
      "\xF5\x80\x80\x80",  // lead byte beyond range
      "\xFE",
      "\x80",              // lone continuation
      "\xC3\x28",          // bad continuation
      "\xE2\x82\x28",      // bad third byte
      "\xF0\x9F\x98\x28",  // bad fourth byte
  };
  for (const std::string& b : bad) {
    const std::string input = "ok " + b + " tail";
    EXPECT_NE(Decode(input, Charset::kUtf8).status.message().find("at byte 3;"), std::string::npos) << input;
    EXPECT_NE(DecodeBytewise(input, Charset::kUtf8).status.message().find("at byte 3;"), std::string::npos)
        << input;
  }
  // Boundaries that are valid.
  for (const std::string good : {"\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEE\x80\x80",
                                 "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF", "\x7F"}) {
    EXPECT_TRUE(Decode(good, Charset::kUtf8).status.ok()) << good;
    EXPECT_EQ(DecodeBytewise(good, Charset::kUtf8).text, good);
  }
}

TEST(DecoderTest, TruncatedSequenceAtEndFailsInFinish) {
  Decoder d(Charset::kUtf8);
  std::string out;
  ASSERT_TRUE(d.Feed("abc\xE2\x82", &out).ok());
  EXPECT_EQ(out, "abc");
  EXPECT_EQ(d.bytes_consumed(), 5u);
  Status st = d.Finish(&out);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("at byte 3;"), std::string::npos);
}

TEST(DecoderTest, SplitMultibyteSequencesInEveryPosition) {
  const std::string text = "ø€😀æ-Å\xF4\x8F\xBF\xBF!";
  for (size_t a = 0; a <= text.size(); ++a) {
    for (size_t b = a; b <= text.size(); ++b) {
      Decoded r = Decode(text, Charset::kUtf8, {a, b - a});
      ASSERT_TRUE(r.status.ok()) << a << "," << b;
      ASSERT_EQ(r.text, text) << a << "," << b;
    }
  }
}

TEST(DecoderTest, InvalidSequenceSplitAcrossChunks) {
  Decoder d(Charset::kUtf8);
  std::string out;
  ASSERT_TRUE(d.Feed("aaaa", &out).ok());
  ASSERT_TRUE(d.Feed("\xE2", &out).ok());
  ASSERT_TRUE(d.Feed("\x82", &out).ok());
  Status st = d.Feed("x", &out);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("at byte 4;"), std::string::npos);
  EXPECT_EQ(out, "aaaa");
  // Spent: the same error again.
  EXPECT_EQ(d.Feed("ok", &out).message(), st.message());
  EXPECT_EQ(d.Finish(&out).message(), st.message());
}

TEST(DecoderTest, Latin1) {
  EXPECT_EQ(Decode("S\xF8ndre Nordstrand, skatte\xE5r, \xC6\xD8\xC5", Charset::kLatin1).text,
            "Søndre Nordstrand, skatteår, ÆØÅ");
  // Strict ISO-8859-1: 0x80 is the C1 control U+0080, no byte is undefined.
  EXPECT_EQ(Decode("\x80\x81\xFF", Charset::kLatin1).text, "\xC2\x80\xC2\x81ÿ");
  // A UTF-8 BOM means nothing in Latin-1.
  EXPECT_EQ(Decode("\xEF\xBB\xBF", Charset::kLatin1).text, "ï»¿");
}

TEST(DecoderTest, Windows1252FullTable) {
  EXPECT_EQ(Decode("\x80", Charset::kWindows1252).text, "€");
  const std::string high =
      "\x80\x82\x83\x84\x85\x86\x87\x88\x89\x8A\x8B\x8C\x8E\x91\x92\x93\x94\x95\x96\x97\x98\x99\x9A\x9B"
      "\x9C\x9E\x9F";
  EXPECT_EQ(Decode(high, Charset::kWindows1252).text, "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");
  // 0xA0-0xFF and ASCII agree with Latin-1.
  std::string rest;
  for (int b = 0; b < 256; ++b) {
    if (b < 0x80 || b >= 0xA0) rest.push_back(static_cast<char>(b));
  }
  EXPECT_EQ(Decode(rest, Charset::kWindows1252).text, Decode(rest, Charset::kLatin1).text);
  EXPECT_EQ(DecodeBytewise(rest, Charset::kWindows1252).text, Decode(rest, Charset::kLatin1).text);
}

TEST(DecoderTest, Windows1252UndefinedBytesNameTheOffset) {
  for (char b : {'\x81', '\x8D', '\x8F', '\x90', '\x9D'}) {
    std::string out = "kept";
    Decoder d(Charset::kWindows1252);
    Status st = d.Feed(std::string("0123456789") + b + "x", &out);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.code(), Code::kInvalidArgument);
    EXPECT_NE(st.message().find("at byte 10 "), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("charset=iso-8859-1"), std::string::npos);
    EXPECT_EQ(out, "kept");
  }
}

TEST(DecoderTest, RandomChunksGiveIdenticalOutput) {
  std::mt19937 rng(42);
  std::string latin1;
  for (int i = 0; i < 5000; ++i) {
    int b = static_cast<int>(rng() % 256);
    if (b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 || b == 0x9D) b = 'x';
    latin1.push_back(static_cast<char>(b));
  }
  for (Charset cs : {Charset::kLatin1, Charset::kWindows1252}) {
    const std::string whole = Decode(latin1, cs).text;
    const std::string utf8 = whole;
    for (int round = 0; round < 20; ++round) {
      std::vector<size_t> chunks;
      for (size_t n = 0; n < latin1.size();) {
        chunks.push_back(rng() % 64);
        n += chunks.back();
      }
      EXPECT_EQ(Decode(latin1, cs, chunks).text, whole);
      // The UTF-8 output validates as UTF-8 in any chunking.
      Decoded back = Decode(utf8, Charset::kUtf8, chunks);
      ASSERT_TRUE(back.status.ok()) << back.status.message();
      EXPECT_EQ(back.text, utf8);
    }
  }
}

TEST(DecoderTest, SizeLimit) {
  Decoder d(Charset::kUtf8, /*max_bytes=*/10);
  std::string out;
  ASSERT_TRUE(d.Feed("0123456789", &out).ok());
  Status st = d.Feed("x", &out);
  EXPECT_EQ(st.code(), Code::kTooLarge);
  EXPECT_NE(st.message().find("10 bytes"), std::string::npos);
}

}  // namespace
}  // namespace kilde::ingest
