#include "catalog/slug.h"

#include <gtest/gtest.h>

namespace kilde::catalog {
namespace {

TEST(Slug, FoldsNorwegianLettersAndPunctuation) {
  EXPECT_EQ(Slugify("Barnehageopptak i Bydel Grünerløkka"), "barnehageopptak-i-bydel-grunerlokka");
  EXPECT_EQ(Slugify("Sykehjem: styringsdata (2026)"), "sykehjem-styringsdata-2026");
  EXPECT_EQ(Slugify("Ærlig åpen ØKONOMI"), "aerlig-apen-okonomi");
  EXPECT_EQ(Slugify("  --  "), "");
  EXPECT_LE(Slugify(std::string(200, 'a')).size(), 48u);
}

}  // namespace
}  // namespace kilde::catalog
