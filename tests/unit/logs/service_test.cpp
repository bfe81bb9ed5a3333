// The Logs handlers over a memory store: paging tokens, batches, append()
// and retention, without a socket.
#include "logs/service.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>
#include <thread>

#include "logs/ops_support.hpp"
#include "storage/memory_store.hpp"

namespace stratus::logs {
namespace {
namespace json = boost::json;
using namespace std::chrono_literals;

class LogsService : public ::testing::Test {
 protected:
  std::unique_ptr<storage::store> store_ = storage::make_memory_store();
  service svc_{*store_};
  handler_table ops_ = svc_.handlers();
  std::chrono::system_clock::time_point now_ = std::chrono::system_clock::now();

  std::int64_t now_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(now_.time_since_epoch()).count();
  }

  result<json::object> call(const std::string& op, json::object in) {
    request_context ctx;
    ctx.account_id = "000000000000";
    ctx.region = "us-east-1";
    ctx.now = now_;
    return ops_.at(op)(ctx, in);
  }

  json::object ok(const std::string& op, json::object in) {
    auto r = call(op, std::move(in));
    EXPECT_TRUE(r) << op << ": " << (r ? "" : r.error().code + " " + r.error().message);
    return r ? *r : json::object{};
  }

  void make_stream(const std::string& group, const std::string& stream) {
    (void)call("CreateLogGroup", {{"logGroupName", group}});
    ok("CreateLogStream", {{"logGroupName", group}, {"logStreamName", stream}});
  }

  void put(const std::string& group, const std::string& stream,
           std::vector<std::pair<std::int64_t, std::string>> events) {
    json::array arr;
    for (auto& [t, m] : events) arr.push_back({{"timestamp", t}, {"message", m}});
    ok("PutLogEvents", {{"logGroupName", group}, {"logStreamName", stream}, {"logEvents", arr}});
  }

  static std::vector<std::string> messages(const json::object& out) {
    std::vector<std::string> m;
    for (const auto& e : out.at("events").as_array()) m.emplace_back(e.at("message").as_string());
    return m;
  }
};

TEST_F(LogsService, GroupsAndStreamsExistOnce) {
  ok("CreateLogGroup", {{"logGroupName", "g"}});
  auto again = call("CreateLogGroup", {{"logGroupName", "g"}});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "ResourceAlreadyExistsException");
  ok("CreateLogStream", {{"logGroupName", "g"}, {"logStreamName", "s"}});
  auto dup = call("CreateLogStream", {{"logGroupName", "g"}, {"logStreamName", "s"}});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, "ResourceAlreadyExistsException");
  auto orphan = call("CreateLogStream", {{"logGroupName", "nope"}, {"logStreamName", "s"}});
  ASSERT_FALSE(orphan);
  EXPECT_EQ(orphan.error().message, "The specified log group does not exist.");
}

TEST_F(LogsService, PutLogEventsNeedsGroupAndStream) {
  ok("CreateLogGroup", {{"logGroupName", "g"}});
  json::array one{json::object{{"timestamp", now_ms()}, {"message", "m"}}};
  auto no_group =
      call("PutLogEvents", {{"logGroupName", "x"}, {"logStreamName", "s"}, {"logEvents", one}});
  ASSERT_FALSE(no_group);
  EXPECT_EQ(no_group.error().message, "The specified log group does not exist.");
  auto no_stream =
      call("PutLogEvents", {{"logGroupName", "g"}, {"logStreamName", "s"}, {"logEvents", one}});
  ASSERT_FALSE(no_stream);
  EXPECT_EQ(no_stream.error().message, "The specified log stream does not exist.");
}

TEST_F(LogsService, BatchRulesAreCheckedBeforeStoring) {
  make_stream("g", "s");
  const auto t = now_ms();
  auto order =
      call("PutLogEvents", {{"logGroupName", "g"},
                            {"logStreamName", "s"},
                            {"logEvents", json::array{{{"timestamp", t}, {"message", "b"}},
                                                      {{"timestamp", t - 1}, {"message", "a"}}}}});
  ASSERT_FALSE(order);
  EXPECT_EQ(order.error().message,
            "Log events in a single PutLogEvents request must be in chronological order.");
  auto span =
      call("PutLogEvents",
           {{"logGroupName", "g"},
            {"logStreamName", "s"},
            {"logEvents", json::array{{{"timestamp", t - 25 * 3600 * 1000LL}, {"message", "a"}},
                                      {{"timestamp", t}, {"message", "b"}}}}});
  ASSERT_FALSE(span);
  EXPECT_EQ(span.error().code, "InvalidParameterException");
  auto big =
      call("PutLogEvents",
           {{"logGroupName", "g"},
            {"logStreamName", "s"},
            {"logEvents", json::array{{{"timestamp", t}, {"message", std::string(262119, 'x')}}}}});
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().message, "Log event too large: 262145 bytes exceeds limit of 262144");
  auto get = ok("GetLogEvents", {{"logGroupName", "g"}, {"logStreamName", "s"}});
  EXPECT_TRUE(get.at("events").as_array().empty());
}

TEST_F(LogsService, TooOldAndTooNewEventsAreReportedNotStored) {
  make_stream("g", "s");
  const auto t = now_ms();
  json::array events{{{"timestamp", t - 15 * 86400000LL}, {"message", "old"}},
                     {{"timestamp", t}, {"message", "now"}},
                     {{"timestamp", t + 3 * 3600000LL}, {"message", "future"}}};
  // 15 days then +3 hours span more than 24 hours: send them in two calls.
  auto first =
      ok("PutLogEvents",
         {{"logGroupName", "g"}, {"logStreamName", "s"}, {"logEvents", json::array{events[0]}}});
  EXPECT_EQ(first.at("rejectedLogEventsInfo").at("tooOldLogEventEndIndex"), 0);
  auto second = ok("PutLogEvents", {{"logGroupName", "g"},
                                    {"logStreamName", "s"},
                                    {"logEvents", json::array{events[1], events[2]}}});
  EXPECT_EQ(second.at("rejectedLogEventsInfo").at("tooNewLogEventStartIndex"), 1);
  EXPECT_NE(first.at("nextSequenceToken"), second.at("nextSequenceToken"));
  auto get = ok("GetLogEvents", {{"logGroupName", "g"}, {"logStreamName", "s"}});
  EXPECT_EQ(messages(get), std::vector<std::string>{"now"});
}

TEST_F(LogsService, GetLogEventsPagesForwardUntilTheTokenRepeats) {
  make_stream("g", "s");
  const auto t = now_ms() - 10000;
  put("g", "s", {{t, "e1"}, {t + 1, "e2"}, {t + 1, "e3"}, {t + 2, "e4"}, {t + 3, "e5"}});
  std::vector<std::string> seen;
  json::object in{
      {"logGroupName", "g"}, {"logStreamName", "s"}, {"startFromHead", true}, {"limit", 2}};
  std::string token;
  for (int page = 0; page < 10; ++page) {
    auto out = ok("GetLogEvents", in);
    for (auto& m : messages(out)) seen.push_back(m);
    std::string next(out.at("nextForwardToken").as_string());
    if (next == token) {
      EXPECT_TRUE(out.at("events").as_array().empty());
      break;
    }
    token = next;
    in["nextToken"] = token;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"e1", "e2", "e3", "e4", "e5"}));

  // New events show up behind the last forward token.
  put("g", "s", {{t + 4, "e6"}});
  auto more = ok("GetLogEvents", in);
  EXPECT_EQ(messages(more), std::vector<std::string>{"e6"});
}

TEST_F(LogsService, GetLogEventsFromTheTailPagesBackward) {
  make_stream("g", "s");
  const auto t = now_ms() - 10000;
  put("g", "s", {{t, "e1"}, {t + 1, "e2"}, {t + 2, "e3"}, {t + 3, "e4"}, {t + 4, "e5"}});
  auto last = ok("GetLogEvents", {{"logGroupName", "g"}, {"logStreamName", "s"}, {"limit", 2}});
  EXPECT_EQ(messages(last), (std::vector<std::string>{"e4", "e5"}));
  auto before = ok("GetLogEvents", {{"logGroupName", "g"},
                                    {"logStreamName", "s"},
                                    {"limit", 2},
                                    {"nextToken", last.at("nextBackwardToken")}});
  EXPECT_EQ(messages(before), (std::vector<std::string>{"e2", "e3"}));
  auto first = ok("GetLogEvents", {{"logGroupName", "g"},
                                   {"logStreamName", "s"},
                                   {"limit", 2},
                                   {"nextToken", before.at("nextBackwardToken")}});
  EXPECT_EQ(messages(first), std::vector<std::string>{"e1"});
  auto none = ok("GetLogEvents", {{"logGroupName", "g"},
                                  {"logStreamName", "s"},
                                  {"limit", 2},
                                  {"nextToken", first.at("nextBackwardToken")}});
  EXPECT_TRUE(messages(none).empty());
  EXPECT_EQ(none.at("nextBackwardToken"), first.at("nextBackwardToken"));

  // The time range: [startTime, endTime).
  auto range = ok("GetLogEvents", {{"logGroupName", "g"},
                                   {"logStreamName", "s"},
                                   {"startTime", t + 1},
                                   {"endTime", t + 3},
                                   {"startFromHead", true}});
  EXPECT_EQ(messages(range), (std::vector<std::string>{"e2", "e3"}));

  auto bad = call("GetLogEvents",
                  {{"logGroupName", "g"}, {"logStreamName", "s"}, {"nextToken", "f/garbage"}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "InvalidParameterException");
}

TEST_F(LogsService, FilterLogEventsInterleavesAndPages) {
  make_stream("g", "a");
  make_stream("g", "b");
  const auto t = now_ms() - 10000;
  put("g", "a", {{t, "a1 ERROR"}, {t + 2, "a2 INFO"}, {t + 4, "a3 ERROR"}});
  put("g", "b", {{t + 1, "b1 ERROR"}, {t + 3, "b2 ERROR"}});
  std::vector<std::string> seen;
  std::set<std::string> ids;
  json::object in{{"logGroupName", "g"}, {"filterPattern", "ERROR"}, {"limit", 1}};
  for (int page = 0; page < 10; ++page) {
    auto out = ok("FilterLogEvents", in);
    for (const auto& e : out.at("events").as_array()) {
      seen.emplace_back(e.at("message").as_string());
      ids.insert(std::string(e.at("eventId").as_string()));
    }
    if (!out.contains("nextToken")) break;
    in["nextToken"] = out.at("nextToken");
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"a1 ERROR", "b1 ERROR", "b2 ERROR", "a3 ERROR"}));
  EXPECT_EQ(ids.size(), 4u);

  auto only_b =
      ok("FilterLogEvents", {{"logGroupName", "g"}, {"logStreamNames", json::array{"b"}}});
  EXPECT_EQ(messages(only_b), (std::vector<std::string>{"b1 ERROR", "b2 ERROR"}));
  auto window =
      ok("FilterLogEvents", {{"logGroupName", "g"}, {"startTime", t + 2}, {"endTime", t + 3}});
  EXPECT_EQ(messages(window), (std::vector<std::string>{"a2 INFO", "b2 ERROR"}));
  auto both = call(
      "FilterLogEvents",
      {{"logGroupName", "g"}, {"logStreamNames", json::array{"b"}}, {"logStreamNamePrefix", "b"}});
  ASSERT_FALSE(both);
  EXPECT_EQ(both.error().code, "InvalidParameterException");
}

TEST_F(LogsService, AppendCreatesGroupAndStreamAndNeverFails) {
  const auto t = now_;
  svc_.append("000000000000", "us-east-1", "/aws/lambda/fn", "2026/01/01/[$LATEST]abc",
              {{t + 1ms, "second"}, {t, "first"}, {t, ""}, {t + 2ms, std::string(300000, 'x')}});
  auto out = ok("GetLogEvents", {{"logGroupName", "/aws/lambda/fn"},
                                 {"logStreamName", "2026/01/01/[$LATEST]abc"},
                                 {"startFromHead", true}});
  auto m = messages(out);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0], "first");
  EXPECT_EQ(m[1], "second");
  EXPECT_EQ(m[2].size(), 262144u - 26u);
  // A second append goes to the same stream.
  svc_.append("000000000000", "us-east-1", "/aws/lambda/fn", "2026/01/01/[$LATEST]abc",
              {{t + 3ms, "third"}});
  auto streams = ok("DescribeLogStreams", {{"logGroupName", "/aws/lambda/fn"}});
  ASSERT_EQ(streams.at("logStreams").as_array().size(), 1u);
  EXPECT_EQ(streams.at("logStreams").as_array()[0].at("lastEventTimestamp"), now_ms() + 3);
}

TEST_F(LogsService, QueuedOutputIsSeenByTheNextOperation) {
  svc_.start_background(1h, 1h);  // nothing stores the queue but the operations
  svc_.append("000000000000", "us-east-1", "/aws/lambda/fn", "s", {{now_, "queued"}});
  auto out = ok("FilterLogEvents", {{"logGroupName", "/aws/lambda/fn"}});
  EXPECT_EQ(messages(out), std::vector<std::string>{"queued"});
  svc_.stop_background();
}

TEST_F(LogsService, ConcurrentAppendsLoseNothing) {
  // Threads appending to two streams of one group and to a group of their
  // own: every event lands, and each stream counts every append.
  constexpr int threads = 8, appends = 50;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t)
    workers.emplace_back([&, t] {
      for (int i = 0; i < appends; ++i) {
        svc_.append("000000000000", "us-east-1", "/aws/lambda/shared", t % 2 ? "odd" : "even",
                    {{now_, "t" + std::to_string(t) + "-" + std::to_string(i)}});
        svc_.append("000000000000", "us-east-1", "own-" + std::to_string(t), "s",
                    {{now_, "x"}, {now_, "y"}});
      }
    });
  for (auto& w : workers) w.join();
  std::size_t total = 0;
  for (const char* stream : {"odd", "even"}) {
    auto out =
        ok("GetLogEvents", {{"logGroupName", "/aws/lambda/shared"}, {"logStreamName", stream}});
    total += out.at("events").as_array().size();
  }
  EXPECT_EQ(total, std::size_t{threads * appends});
  auto streams = ok("DescribeLogStreams", {{"logGroupName", "/aws/lambda/shared"}});
  for (const auto& s : streams.at("logStreams").as_array())
    EXPECT_EQ(s.at("uploadSequenceToken").as_string(), sequence_token(threads / 2 * appends));
  auto groups = ok("DescribeLogGroups", {{"logGroupNamePrefix", "own-"}});
  EXPECT_EQ(groups.at("logGroups").as_array().size(), std::size_t{threads});
  auto events = ok("FilterLogEvents", {{"logGroupName", "/aws/lambda/shared"}});
  std::set<std::string> ids;
  for (const auto& e : events.at("events").as_array())
    ids.insert(std::string(e.at("eventId").as_string()));
  EXPECT_EQ(ids.size(), std::size_t{threads * appends});
}

TEST_F(LogsService, RetentionSweepDeletesOnlyExpiredEvents) {
  make_stream("g", "s");
  const auto t = now_ms();
  put("g", "s", {{t - 3 * 86400000LL, "old"}});
  put("g", "s", {{t - 3600000LL, "recent"}});
  ok("PutRetentionPolicy", {{"logGroupName", "g"}, {"retentionInDays", 1}});
  auto bad = call("PutRetentionPolicy", {{"logGroupName", "g"}, {"retentionInDays", 2}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "InvalidParameterException");
  EXPECT_EQ(svc_.sweep_retention(now_), 1u);
  auto get = ok("GetLogEvents", {{"logGroupName", "g"}, {"logStreamName", "s"}});
  EXPECT_EQ(messages(get), std::vector<std::string>{"recent"});
  EXPECT_EQ(svc_.sweep_retention(now_), 0u);
  // Without a policy nothing expires.
  ok("DeleteRetentionPolicy", {{"logGroupName", "g"}});
  EXPECT_EQ(svc_.sweep_retention(now_ + std::chrono::hours(24 * 10)), 0u);
}

TEST_F(LogsService, DescribeLogStreamsPagesInEitherOrder) {
  make_stream("g", "s1");
  make_stream("g", "s2");
  make_stream("g", "s3");
  const auto t = now_ms() - 10000;
  put("g", "s1", {{t + 3, "x"}});
  put("g", "s2", {{t + 1, "x"}});
  put("g", "s3", {{t + 2, "x"}});
  auto names = [&](json::object in) {
    std::vector<std::string> out;
    for (int page = 0; page < 10; ++page) {
      auto r = ok("DescribeLogStreams", in);
      for (const auto& s : r.at("logStreams").as_array())
        out.emplace_back(s.at("logStreamName").as_string());
      if (!r.contains("nextToken")) break;
      in["nextToken"] = r.at("nextToken");
    }
    return out;
  };
  EXPECT_EQ(names({{"logGroupName", "g"}, {"limit", 1}}),
            (std::vector<std::string>{"s1", "s2", "s3"}));
  EXPECT_EQ(names({{"logGroupName", "g"}, {"limit", 2}, {"descending", true}}),
            (std::vector<std::string>{"s3", "s2", "s1"}));
  EXPECT_EQ(names({{"logGroupName", "g"}, {"limit", 1}, {"orderBy", "LastEventTime"}}),
            (std::vector<std::string>{"s2", "s3", "s1"}));
  auto mixed =
      call("DescribeLogStreams",
           {{"logGroupName", "g"}, {"orderBy", "LastEventTime"}, {"logStreamNamePrefix", "s"}});
  ASSERT_FALSE(mixed);
  EXPECT_EQ(mixed.error().message, "Cannot order by LastEventTime with a logStreamNamePrefix.");
}

TEST_F(LogsService, DeletingAGroupDeletesItsStreamsAndEvents) {
  make_stream("g", "s");
  put("g", "s", {{now_ms(), "x"}});
  ok("DeleteLogGroup", {{"logGroupName", "g"}});
  auto gone = call("DeleteLogGroup", {{"logGroupName", "g"}});
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, "ResourceNotFoundException");
  make_stream("g", "s");  // a new group of the same name starts empty
  auto get = ok("GetLogEvents", {{"logGroupName", "g"}, {"logStreamName", "s"}});
  EXPECT_TRUE(messages(get).empty());
}

}  // namespace
}  // namespace stratus::logs
