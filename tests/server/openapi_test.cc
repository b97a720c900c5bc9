// api/openapi.json describes exactly the routes the server serves.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "server/desk_api.h"
#include "server/openapi_document.h"

namespace sladesk {
namespace {

using nlohmann::json;

json LoadDocument() {
  std::ifstream in(std::string(SLADESK_SOURCE_DIR) + "/api/openapi.json");
  std::stringstream ss;
  ss << in.rdbuf();
  return json::parse(ss.str(), nullptr, false);
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

TEST(OpenApiTest, IsOpenApi31AndTheServedCopyIsTheFile) {
  json doc = LoadDocument();
  ASSERT_FALSE(doc.is_discarded()) << "api/openapi.json is not valid JSON";
  EXPECT_EQ(doc.value("openapi", ""), "3.1.0");
  EXPECT_TRUE(doc.contains("info"));
  EXPECT_EQ(json::parse(OpenApiDocument(), nullptr, false), doc) << "rebuild: the compiled-in copy is stale";
}

TEST(OpenApiTest, EveryRouteIsDocumentedAndEveryDocumentedRouteExists) {
  json doc = LoadDocument();
  ASSERT_TRUE(doc.contains("paths"));
  std::set<std::pair<std::string, std::string>> served, documented;
  for (const auto& r : DeskApi::Routes()) served.insert({Lower(r.method), r.pattern});
  for (const auto& [path, item] : doc["paths"].items())
    for (const auto& [method, op] : item.items())
      if (method != "parameters") documented.insert({method, path});
  for (const auto& s : served)
    EXPECT_TRUE(documented.count(s)) << "not in api/openapi.json: " << s.first << " " << s.second;
  for (const auto& d : documented)
    EXPECT_TRUE(served.count(d)) << "documented but not served: " << d.first << " " << d.second;
}

TEST(OpenApiTest, OperationsDescribeTheirAnswers) {
  json doc = LoadDocument();
  const std::set<std::string> open{"/healthz", "/metrics", "/api/v1/openapi.json", "/api/v1/status"};
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      if (method == "parameters") continue;
      SCOPED_TRACE(method + " " + path);
      EXPECT_TRUE(op.contains("operationId"));
      ASSERT_TRUE(op.contains("responses"));
      bool success = false;
      for (const auto& [code, resp] : op["responses"].items()) success = success || code[0] == '2';
      EXPECT_TRUE(success);
      if (!open.count(path)) {
        EXPECT_TRUE(op["responses"].contains("401")) << "authenticated routes document 401";
        // Path parameters are declared.
        size_t braces = std::count(path.begin(), path.end(), '{');
        size_t declared = 0;
        for (const auto* params : {&item, &op})
          if (params->contains("parameters"))
            for (const auto& p : (*params)["parameters"])
              if (p.contains("$ref") ? p["$ref"].get<std::string>().find("Path") != std::string::npos
                                     : p.value("in", "") == "path")
                ++declared;
        EXPECT_EQ(declared, braces);
      }
    }
  }
}

}  // namespace
}  // namespace sladesk
