// LambdaRuntime: the AWS Lambda Runtime API loop, for functions written in C++ and deployed
// on the `provided.al2023` runtime as an executable named `bootstrap`.
//
// Lambda starts `bootstrap` with AWS_LAMBDA_RUNTIME_API=host:port and the function's role
// credentials in the environment. The function then loops: GET the next invocation (the
// call blocks while the sandbox is idle or frozen), run the handler, POST its response or
// its error. A failure before the loop starts is reported once as an init error.
//
//   int main() {
//     auto runtime = wifgate::LambdaRuntime::FromEnvironment();
//     if (!runtime.ok()) return 1;
//     (*runtime)->Run([](const wifgate::LambdaInvocation& in) -> wifgate::Result<std::string> {
//       return wifgate::ApiGatewayResponse(200, "hello");
//     });
//   }
//
// Errors returned by the handler are sent as {"errorType": reason, "errorMessage": message}.
#ifndef WIFGATE_LAMBDA_RUNTIME_H_
#define WIFGATE_LAMBDA_RUNTIME_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "wifgate/env.h"
#include "wifgate/status.h"

namespace wifgate {

namespace net {
class HttpClient;
}

struct LambdaInvocation {
  std::string request_id;    // Lambda-Runtime-Aws-Request-Id
  std::string payload;       // the event, as JSON text
  int64_t deadline_unix_ms;  // Lambda-Runtime-Deadline-Ms
  std::string function_arn;  // Lambda-Runtime-Invoked-Function-Arn
  std::string trace_id;      // Lambda-Runtime-Trace-Id (X-Ray)
};

// Returns the response body (JSON text) or a failure to report as the invocation's error.
using LambdaHandler = std::function<Result<std::string>(const LambdaInvocation&)>;

class LambdaRuntime {
 public:
  // `api` is AWS_LAMBDA_RUNTIME_API ("127.0.0.1:9001"); `http` must outlive the runtime.
  LambdaRuntime(std::string api, net::HttpClient& http);
  ~LambdaRuntime();

  // A runtime for AWS_LAMBDA_RUNTIME_API, with its own HTTP client. Fails with
  // lambda.no_runtime_api when the variable is unset (not running under Lambda).
  static Result<std::unique_ptr<LambdaRuntime>> FromEnvironment(Env& env = Env::Default());

  // The single steps of the loop, for functions that need their own loop.
  Result<LambdaInvocation> Next();
  Status Respond(const std::string& request_id, const std::string& body);
  Status ReportError(const std::string& request_id, const Status& error);
  Status ReportInitError(const Status& error);

  // Serves invocations until the Runtime API fails (Lambda is shutting the sandbox down),
  // or until `max_invocations` have been served when it is positive. Returns why it stopped.
  Status Run(const LambdaHandler& handler, int max_invocations = 0);

 private:
  std::string base_url_;
  std::unique_ptr<net::HttpClient> owned_http_;
  net::HttpClient* http_;
};

// {"statusCode": status_code, "body": body}: the reply API Gateway and function URLs expect.
std::string ApiGatewayResponse(int status_code, std::string_view body);

}  // namespace wifgate

#endif  // WIFGATE_LAMBDA_RUNTIME_H_
