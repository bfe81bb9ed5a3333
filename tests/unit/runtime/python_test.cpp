// Python functions through our bootstrap: handler paths, the context
// object, print/logging and AWS's error documents.
#include "support.hpp"

namespace stratus::runtime::testing {
namespace {

using python = runtime_test;

TEST_F(python, file_and_package_handlers) {
  temp_dir code;
  code.write("lambda_function.py", R"(
import json
print('loading')
def lambda_handler(event, context):
    print('got', json.dumps(event))
    return {'statusCode': 200, 'body': json.dumps(event['x'] * 2)}
)");
  code.write("pkg/__init__.py", "");
  code.write("pkg/sub/__init__.py", "");
  code.write("pkg/sub/mod.py", "def handle(event, context):\n    return ['deep', event]\n");
  code.write("folder/plain.py", "def go(event, context):\n    return 'via path'\n");
  auto f = spec("python3.12", "lambda_function.lambda_handler", code);
  auto r = ok(f, R"({"x":21})").as_object();
  EXPECT_EQ(r["statusCode"], 200);
  EXPECT_EQ(r["body"], "42");
  EXPECT_EQ(ok(spec("python3.12", "pkg.sub.mod.handle", code), "7").as_array()[1], 7);
  EXPECT_EQ(ok(spec("python3.12", "folder/plain.go", code)), "via path");
  const auto text = sink_.all_text();
  EXPECT_NE(text.find("loading\n"), std::string::npos);
  EXPECT_NE(text.find("got {\"x\": 21}"), std::string::npos) << text;
}

TEST_F(python, context_object_logging_and_environment) {
  temp_dir code;
  code.write("app.py", R"(
import logging, os, tempfile
logger = logging.getLogger()
logger.setLevel(logging.INFO)
def handler(event, context):
    logger.info('informative')
    with tempfile.NamedTemporaryFile(delete=False) as f:
        f.write(b'x')
    return {
        'function_name': context.function_name, 'function_version': context.function_version,
        'invoked_function_arn': context.invoked_function_arn,
        'memory_limit_in_mb': context.memory_limit_in_mb, 'aws_request_id': context.aws_request_id,
        'log_group_name': context.log_group_name, 'log_stream_name': context.log_stream_name,
        'remaining': context.get_remaining_time_in_millis(),
        'identity': context.identity.cognito_identity_id, 'client_context': context.client_context,
        'tmp': os.path.dirname(f.name), 'cwd': os.getcwd(), 'task': os.environ['LAMBDA_TASK_ROOT'],
        'exec': os.environ.get('AWS_EXECUTION_ENV'), 'pid': os.getpid(),
    }
)");
  auto f = spec("python3.11", "app.handler", code);
  auto r = ok(f).as_object();
  EXPECT_EQ(r["function_name"], "fn");
  EXPECT_EQ(r["function_version"], "$LATEST");
  EXPECT_EQ(str(r["invoked_function_arn"]), f.arn);
  EXPECT_EQ(r["memory_limit_in_mb"], "256");
  EXPECT_EQ(r["log_group_name"], "/aws/lambda/fn");
  EXPECT_GT(r["remaining"].to_number<double>(), 1000);
  EXPECT_TRUE(r["identity"].is_null());
  EXPECT_TRUE(r["client_context"].is_null());
  EXPECT_EQ(r["cwd"], r["task"]);
  EXPECT_EQ(r["exec"], "AWS_Lambda_python3.11");
  if (the_pool().isolating()) {
    EXPECT_EQ(r["tmp"], "/tmp");
  }
  const auto text = sink_.all_text();
  EXPECT_NE(text.find("[INFO]\t"), std::string::npos) << text;
  EXPECT_NE(text.find("\t" + str(r["aws_request_id"]) + "\tinformative"), std::string::npos)
      << text;
  // Warm: the same process serves the next event.
  EXPECT_EQ(ok(f).at("pid"), r["pid"]);
}

TEST_F(python, exceptions_become_aws_error_documents) {
  temp_dir code;
  code.write("app.py", R"(
def handler(event, context):
    raise ValueError('not good')
class Custom(Exception):
    pass
def custom(event, context):
    raise Custom('mine')
def unserializable(event, context):
    return {1, 2}
)");
  auto err = failed(spec("python3.12", "app.handler", code));
  EXPECT_EQ(err["errorType"], "ValueError");
  EXPECT_EQ(err["errorMessage"], "not good");
  EXPECT_EQ(err["requestId"].as_string().size(), 36u);
  ASSERT_FALSE(err["stackTrace"].as_array().empty());
  EXPECT_NE(str(err["stackTrace"].as_array()[0]).find("app.py"), std::string::npos);
  EXPECT_EQ(failed(spec("python3.12", "app.custom", code))["errorType"], "Custom");
  auto marshal = failed(spec("python3.12", "app.unserializable", code));
  EXPECT_EQ(marshal["errorType"], "Runtime.MarshalError");
  EXPECT_TRUE(str(marshal["errorMessage"]).starts_with("Unable to marshal response: "));
  EXPECT_NE(
      sink_.all_text().find("[ERROR] ValueError: not good\rTraceback (most recent call last):"),
      std::string::npos)
      << sink_.all_text();
}

TEST_F(python, runtime_errors_for_bad_handlers) {
  temp_dir code;
  code.write("app.py", "def handler(event, context):\n    return 1\n");
  code.write("broken.py", "def handler(event, context)\n    return 1\n");
  auto missing = failed(spec("python3.12", "app.nothere", code));
  EXPECT_EQ(missing["errorType"], "Runtime.HandlerNotFound");
  EXPECT_EQ(missing["errorMessage"], "Handler 'nothere' missing on module 'app'");
  auto import = failed(spec("python3.12", "nomodule.handler", code));
  EXPECT_EQ(import["errorType"], "Runtime.ImportModuleError");
  EXPECT_EQ(import["errorMessage"],
            "Unable to import module 'nomodule': No module named 'nomodule'");
  auto syntax = failed(spec("python3.12", "broken.handler", code));
  EXPECT_EQ(syntax["errorType"], "Runtime.UserCodeSyntaxError");
  EXPECT_TRUE(str(syntax["errorMessage"]).starts_with("Syntax error in module 'broken': "));
  auto malformed = failed(spec("python3.12", "nodot", code));
  EXPECT_EQ(malformed["errorType"], "Runtime.MalformedHandlerName");
  EXPECT_EQ(malformed["errorMessage"],
            "Bad handler 'nodot': not enough values to unpack (expected 2, got 1)");
}

}  // namespace
}  // namespace stratus::runtime::testing
