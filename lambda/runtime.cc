#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <charconv>

#include "common/json.h"
#include "common/logging.h"
#include "net/beast_http_client.h"
#include "net/http.h"
#include "wifgate/lambda_runtime.h"

namespace wifgate {
namespace {

constexpr std::string_view kApiVersion = "/2018-06-01/runtime";
// Lambda freezes the process inside GET .../next between invocations; that call must not
// time out on its own.
constexpr std::chrono::hours kNextTimeout{24 * 365};
constexpr size_t kMaxEventBytes = size_t{8} << 20;  // invocation payloads are at most 6 MB

Status RuntimeApiError(std::string_view what, const Result<net::HttpResponse>& response) {
  if (!response.ok()) return response.status().WithContext(std::string(what));
  return Status(
      Code::kUnavailable, "lambda.runtime_api_status",
      std::string(what) + ": the Runtime API answered HTTP " + std::to_string(response->status));
}

std::string ErrorBody(const Status& error) {
  return ToJson(boost::json::object{{"errorMessage", error.message()},
                                    {"errorType", error.reason()},
                                    {"stackTrace", boost::json::array{}}});
}

}  // namespace

LambdaRuntime::LambdaRuntime(std::string api, net::HttpClient& http)
    : base_url_("http://" + std::move(api) + std::string(kApiVersion)), http_(&http) {}

LambdaRuntime::~LambdaRuntime() = default;

Result<std::unique_ptr<LambdaRuntime>> LambdaRuntime::FromEnvironment(Env& env) {
  auto api = GetNonEmptyVar(env, "AWS_LAMBDA_RUNTIME_API");
  if (!api) {
    return Status(Code::kFailedPrecondition, "lambda.no_runtime_api",
                  "AWS_LAMBDA_RUNTIME_API is not set: this program is a Lambda custom runtime "
                  "(bootstrap) and runs under AWS Lambda or a Runtime API emulator");
  }
  auto http = std::make_unique<net::BeastHttpClient>(env);
  auto runtime = std::make_unique<LambdaRuntime>(*api, *http);
  runtime->owned_http_ = std::move(http);
  return runtime;
}

Result<LambdaInvocation> LambdaRuntime::Next() {
  net::HttpRequest request;
  request.url = base_url_ + "/invocation/next";
  net::HttpOptions options;
  options.timeout = kNextTimeout;
  options.max_response_bytes = kMaxEventBytes;
  options.use_proxy = false;
  auto response = http_->Send(request, options);
  if (!response.ok() || response->status != 200) {
    return RuntimeApiError("getting the next invocation", response);
  }
  LambdaInvocation in;
  in.request_id = response->Header("Lambda-Runtime-Aws-Request-Id").value_or("");
  if (in.request_id.empty()) {
    return Status(Code::kUnavailable, "lambda.no_request_id",
                  "the Runtime API sent an invocation without Lambda-Runtime-Aws-Request-Id");
  }
  std::string deadline = response->Header("Lambda-Runtime-Deadline-Ms").value_or("0");
  in.deadline_unix_ms = 0;
  std::from_chars(deadline.data(), deadline.data() + deadline.size(), in.deadline_unix_ms);
  in.function_arn = response->Header("Lambda-Runtime-Invoked-Function-Arn").value_or("");
  in.trace_id = response->Header("Lambda-Runtime-Trace-Id").value_or("");
  in.payload = std::move(response->body);
  return in;
}

namespace {

Status Post(net::HttpClient& http, const std::string& url, std::string body,
            const std::string& error_type, std::string_view what) {
  net::HttpRequest request;
  request.method = "POST";
  request.url = url;
  request.body = std::move(body);
  request.headers = {{"Content-Type", "application/json"}};
  if (!error_type.empty()) {
    request.headers.push_back({"Lambda-Runtime-Function-Error-Type", error_type});
  }
  net::HttpOptions options;
  options.use_proxy = false;
  auto response = http.Send(request, options);
  if (!response.ok() || response->status != 202) return RuntimeApiError(what, response);
  return Status::Ok();
}

}  // namespace

Status LambdaRuntime::Respond(const std::string& request_id, const std::string& body) {
  return Post(*http_, base_url_ + "/invocation/" + request_id + "/response", body, "",
              "posting the invocation response");
}

Status LambdaRuntime::ReportError(const std::string& request_id, const Status& error) {
  return Post(*http_, base_url_ + "/invocation/" + request_id + "/error", ErrorBody(error),
              error.reason(), "posting the invocation error");
}

Status LambdaRuntime::ReportInitError(const Status& error) {
  return Post(*http_, base_url_ + "/init/error", ErrorBody(error), error.reason(),
              "posting the init error");
}

Status LambdaRuntime::Run(const LambdaHandler& handler, int max_invocations) {
  for (int served = 0; max_invocations <= 0 || served < max_invocations; ++served) {
    WIFGATE_ASSIGN_OR_RETURN(LambdaInvocation in, Next());
    Result<std::string> out = handler(in);
    Status posted =
        out.ok() ? Respond(in.request_id, *out) : ReportError(in.request_id, out.status());
    if (!out.ok()) {
      Log(LogLevel::kError, "lambda.invocation_failed",
          {{"request_id", in.request_id},
           {"reason", out.status().reason()},
           {"message", out.status().message()}});
    }
    WIFGATE_RETURN_IF_ERROR(posted);
  }
  return Status::Ok();
}

std::string ApiGatewayResponse(int status_code, std::string_view body) {
  return ToJson(boost::json::object{{"statusCode", status_code}, {"body", body}});
}

}  // namespace wifgate
