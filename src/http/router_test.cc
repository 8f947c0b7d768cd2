#include "http/router.h"

#include <gtest/gtest.h>

#include "http/query.h"

namespace kilde::http {
namespace {

Request Req(std::string method, std::string path) {
  Request r;
  r.method = std::move(method);
  r.path = std::move(path);
  return r;
}

TEST(Router, MatchesParamsAndReportsRoute) {
  Router router;
  router.Add("GET", "/api/v1/datasets/{id}", [](Request& r) {
    Response resp;
    resp.body = r.PathParam("id");
    return resp;
  });
  Request r = Req("GET", "/api/v1/datasets/barnehage");
  Response resp = router.Dispatch(r);
  EXPECT_EQ(resp.status, 200);
  EXPECT_EQ(resp.body, "barnehage");
  EXPECT_EQ(resp.route, "/api/v1/datasets/{id}");
}

TEST(Router, UnknownPathIs404AndWrongMethod405WithAllow) {
  Router router;
  router.Add("GET", "/a", [](Request&) { return Response{}; });
  router.Add("POST", "/a", [](Request&) { return Response{}; });
  Request r1 = Req("GET", "/b");
  EXPECT_EQ(router.Dispatch(r1).status, 404);
  Request r2 = Req("DELETE", "/a");
  Response resp = router.Dispatch(r2);
  EXPECT_EQ(resp.status, 405);
  ASSERT_EQ(resp.headers.size(), 1u);
  EXPECT_EQ(resp.headers[0].first, "Allow");
  EXPECT_EQ(resp.headers[0].second, "GET, POST, HEAD");
  EXPECT_NE(resp.body.find("method_not_allowed"), std::string::npos);
  Request r3 = Req("HEAD", "/a");
  EXPECT_EQ(router.Dispatch(r3).status, 200);
}

TEST(Query, DecodesAndRejectsBadEscapes) {
  auto q = ParseQuery("a=1&b=x%20y&c=%C3%B8+z&&d");
  ASSERT_TRUE(q);
  ASSERT_EQ(q->size(), 4u);
  EXPECT_EQ((*q)[1].second, "x y");
  EXPECT_EQ((*q)[2].second, "ø z");
  EXPECT_EQ((*q)[3].first, "d");
  EXPECT_FALSE(ParseQuery("a=%2"));
  EXPECT_FALSE(ParseQuery("a=%zz"));
  EXPECT_EQ(PercentEncode("a b/ø"), "a%20b%2F%C3%B8");
}

}  // namespace
}  // namespace kilde::http
