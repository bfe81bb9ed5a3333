// The REST API documents: everything an API holds survives the store, and
// changes are committed whole or not at all.
#include "apigateway/apis.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <regex>

#include "storage/memory_store.hpp"

namespace stratus::apigateway {
namespace {
namespace json = boost::json;

rest_api sample() {
  rest_api api;
  api.account = "123456789012";
  api.region = "eu-west-1";
  api.settings = json::object{{"id", new_id()}, {"name", "pets"}};
  api.root_id = new_id();
  api.resources.emplace(api.root_id, resource{api.root_id, "", "", "/", {}});
  resource pets{"r2", api.root_id, "pets", "/pets",
                json::object{{"GET", json::object{{"httpMethod", "GET"}}}}};
  api.resources.emplace(pets.id, pets);
  api.deployments["d1"] =
      json::object{{"deployment", json::object{{"id", "d1"}}}, {"resources", resources_json(api)}};
  api.stages["prod"] = json::object{{"stageName", "prod"}, {"deploymentId", "d1"}};
  api.models["Empty"] = json::object{{"name", "Empty"}};
  api.validators["v1"] = json::object{{"id", "v1"}};
  return api;
}

TEST(apis, identifiers_look_like_aws) {
  const std::regex ten("[a-z0-9]{10}"), six("[a-z0-9]{6}");
  EXPECT_TRUE(std::regex_match(new_id(), ten));
  EXPECT_TRUE(std::regex_match(new_id(6), six));
  EXPECT_NE(new_id(), new_id());
}

TEST(apis, a_document_keeps_everything_the_api_holds) {
  const rest_api api = sample();
  auto back = deserialize_api(serialize(api));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->settings, api.settings);
  EXPECT_EQ(back->root_id, api.root_id);
  ASSERT_EQ(back->resources.size(), 2u);
  EXPECT_EQ(back->resources.at("r2").path, "/pets");
  EXPECT_EQ(back->resources.at("r2").methods, api.resources.at("r2").methods);
  EXPECT_EQ(back->deployments, api.deployments);
  EXPECT_EQ(back->stages, api.stages);
  EXPECT_EQ(back->models, api.models);
  EXPECT_EQ(back->validators, api.validators);
  // A deployment's copy of the tree reads back as the tree it was.
  auto tree = resources_from(back->deployments.at("d1").at("resources").as_array());
  ASSERT_TRUE(tree);
  EXPECT_EQ(tree->at("r2").methods, api.resources.at("r2").methods);
}

TEST(apis, unreadable_documents_are_refused) {
  EXPECT_FALSE(deserialize_api("not json"));
  EXPECT_FALSE(deserialize_api(R"({"account":"1"})"));
}

TEST(apis, a_change_that_fails_leaves_the_api_as_it_was) {
  auto store = storage::make_memory_store();
  api_store apis(*store);
  const rest_api api = sample();
  const std::string id(api.settings.at("id").as_string());
  ASSERT_TRUE(apis.create(api));
  auto refused = apis.update(api.account, api.region, id, [](rest_api& a) {
    a.stages.clear();
    return std::optional<api_error>(api_error("BadRequestException", "no", 400));
  });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "BadRequestException");
  auto found = apis.find(api.account, api.region, id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->stages, api.stages);
  // Other accounts and regions see nothing.
  EXPECT_EQ(apis.find("000000000000", api.region, id).error().code, "NotFoundException");
  EXPECT_EQ(apis.find(api.account, "us-east-1", id).error().message,
            "Invalid API identifier specified " + api.account + ":" + id);
  ASSERT_TRUE(apis.remove(api.account, api.region, id));
  EXPECT_FALSE(apis.find(api.account, api.region, id));
  EXPECT_FALSE(apis.remove(api.account, api.region, id));
}

TEST(apis, listing_pages_in_id_order) {
  auto store = storage::make_memory_store();
  api_store apis(*store);
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    rest_api api = sample();
    ids.emplace_back(api.settings.at("id").as_string());
    ASSERT_TRUE(apis.create(api));
  }
  std::sort(ids.begin(), ids.end());
  auto first = apis.list("123456789012", "eu-west-1", "", 3);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->size(), 3u);
  auto rest = apis.list("123456789012", "eu-west-1", ids[2], 10);
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->size(), 2u);
  EXPECT_EQ(rest->front().settings.at("id").as_string(), ids[3]);
}

}  // namespace
}  // namespace stratus::apigateway
