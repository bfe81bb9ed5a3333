// A custom runtime written for AWS (bash + curl, as in AWS's tutorial) runs
// unmodified against our Runtime API; and the Runtime API's own answers.
#include "support.hpp"

namespace stratus::runtime::testing {
namespace {

using provided = runtime_test;

constexpr const char* tutorial_bootstrap = R"sh(#!/bin/bash
set -euo pipefail
source $LAMBDA_TASK_ROOT/"$(echo $_HANDLER | cut -d. -f1).sh"
while true
do
  HEADERS="$(mktemp)"
  EVENT_DATA=$(curl -sS -LD "$HEADERS" "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next")
  REQUEST_ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
  RESPONSE=$($(echo "$_HANDLER" | cut -d. -f2) "$EVENT_DATA")
  curl -sS "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/$REQUEST_ID/response" -d "$RESPONSE" > /dev/null
done
)sh";

TEST_F(provided, aws_tutorial_bash_runtime) {
  temp_dir code;
  code.write("bootstrap", tutorial_bootstrap, fs::perms(0755));
  code.write("function.sh", R"(function handler () {
  EVENT_DATA=$1
  echo "$EVENT_DATA" 1>&2;
  RESPONSE="{\"echo\": $EVENT_DATA}"
  echo $RESPONSE
}
)");
  auto f = spec("provided.al2023", "function.handler", code);
  EXPECT_EQ(ok(f, R"({"a":1})").at("echo").at("a"), 1);
  EXPECT_EQ(ok(f, R"({"a":2})").at("echo").at("a"), 2);
  EXPECT_NE(sink_.all_text().find("{\"a\":2}"), std::string::npos);
}

// Probes the Runtime API's error answers from inside a runtime.
TEST_F(provided, runtime_api_status_codes) {
  temp_dir code;
  code.write("bootstrap", R"sh(#!/bin/bash
api="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
early=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$api/invocation/x/response" -d '1')
H="$(mktemp)"
curl -sS -D "$H" -o /dev/null "$api/invocation/next"
ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$H" | tr -d '[:space:]' | cut -d: -f2)
DEADLINE=$(grep -Fi Lambda-Runtime-Deadline-Ms "$H" | tr -d '[:space:]' | cut -d: -f2)
ARN=$(grep -Fi Lambda-Runtime-Invoked-Function-Arn "$H" | tr -d '[:space:]' | cut -d: -f2-)
wrongid=$(curl -s -w ' %{http_code}' -X POST "$api/invocation/not-$ID/response" -d '1' | tr -d '\n')
initerr=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$api/init/error" -d '{}')
nowhere=$(curl -s -o /dev/null -w '%{http_code}' "$api/nowhere")
body="{\"early\":$early,\"wrongid\":\"${wrongid//\"/\'}\",\"initerr\":$initerr,\"nowhere\":$nowhere,\"deadline\":$DEADLINE,\"arn\":\"$ARN\"}"
accepted=$(curl -s -w ' %{http_code}' -X POST "$api/invocation/$ID/response" -d "$body" | tr -d '\n')
again=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$api/invocation/$ID/response" -d '2')
echo "accepted=$accepted again=$again"
sleep 60
)sh",
             fs::perms(0755));
  auto f = spec("provided", "unused", code);
  auto r = ok(f).as_object();
  EXPECT_EQ(r["early"], 403);  // before any invocation
  EXPECT_EQ(r["wrongid"],
            "{'errorMessage':'Invalid request ID','errorType':'InvalidRequestID'} 400");
  EXPECT_EQ(r["initerr"], 403);  // init is over
  EXPECT_EQ(r["nowhere"], 404);
  EXPECT_GT(r["deadline"].to_number<double>(), 1.6e12);
  EXPECT_EQ(str(r["arn"]), f.arn);
  // The response itself: 202 {"status":"OK"}; a second one is refused.
  for (int i = 0; i < 500 && sink_.all_text().find("accepted=") == std::string::npos; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_NE(sink_.all_text().find("accepted={\"status\":\"OK\"} 202 again=403"), std::string::npos)
      << sink_.all_text();
}

TEST_F(provided, missing_or_unexecutable_bootstrap) {
  temp_dir none;
  none.write("README", "no bootstrap here");
  auto missing = failed(spec("provided.al2", "x", none));
  EXPECT_EQ(missing["errorType"], "Runtime.InvalidEntrypoint");
  EXPECT_NE(str(missing["errorMessage"]).find("Couldn't find valid bootstrap(s)"),
            std::string::npos);

  temp_dir noexec;
  noexec.write("bootstrap", "#!/bin/sh\n", fs::perms(0644));
  auto denied = failed(spec("provided.al2", "x", noexec));
  EXPECT_EQ(denied["errorType"], "Runtime.InvalidEntrypoint");
  EXPECT_NE(str(denied["errorMessage"]).find("fork/exec "), std::string::npos);
  EXPECT_NE(str(denied["errorMessage"]).find(": permission denied"), std::string::npos);
}

TEST_F(provided, exit_during_init_and_init_error) {
  temp_dir exits;
  exits.write("bootstrap", "#!/bin/sh\necho dying\nexit 3\n", fs::perms(0755));
  auto crash = failed(spec("provided", "x", exits));
  EXPECT_EQ(crash["errorType"], "Runtime.ExitError");
  EXPECT_TRUE(
      str(crash["errorMessage"]).ends_with(" Error: Runtime exited with error: exit status 3"))
      << crash["errorMessage"];
  EXPECT_TRUE(str(crash["errorMessage"]).starts_with("RequestId: "));

  temp_dir reports;
  reports.write("bootstrap", R"sh(#!/bin/sh
curl -s -X POST -H 'Lambda-Runtime-Function-Error-Type: Runtime.Custom' \
  "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/init/error" \
  -d '{"errorMessage":"cannot start","errorType":"Runtime.Custom"}'
sleep 5
)sh",
                fs::perms(0755));
  auto init = failed(spec("provided", "x", reports));
  EXPECT_EQ(init["errorType"], "Runtime.Custom");
  EXPECT_EQ(init["errorMessage"], "cannot start");
  EXPECT_NE(sink_.all_text().find("INIT_REPORT Init Duration: "), std::string::npos);
}

}  // namespace
}  // namespace stratus::runtime::testing
