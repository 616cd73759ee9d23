// STS's response shapes for the dev STS: the query protocol's XML, or the JSON STS sends
// when asked with `Accept: application/json`, for results and for errors.
//
// A result is a small ordered tree (element name, text or children), written as
//   <ActionResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><ActionResult>…
//   </ActionResult><ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></…>
// or {"ActionResponse": {"ActionResult": {…}, "ResponseMetadata": {"RequestId": "…"}}}.
// Errors are <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/> or
// {"Error": {"Code", "Message", "Type"}, "RequestId"}, with STS's HTTP status per code.
#ifndef WIFGATE_DEV_DEV_STS_RESPONSES_H_
#define WIFGATE_DEV_DEV_STS_RESPONSES_H_

#include <string>
#include <string_view>
#include <vector>

#include "net/http_server.h"
#include "wifgate/status.h"

namespace wifgate::dev {

struct StsNode {
  std::string name;
  std::string text;  // leaf value
  std::vector<StsNode> children;
  bool number = false;  // JSON only: write `text` as a number

  static StsNode Leaf(std::string name, std::string text) {
    return {std::move(name), std::move(text), {}, false};
  }
  static StsNode Tree(std::string name, std::vector<StsNode> children) {
    return {std::move(name), {}, std::move(children), false};
  }
};

// `result` holds the children of <ActionResult>.
net::ServerResponse StsResultResponse(std::string_view action, std::vector<StsNode> result,
                                      std::string_view request_id, bool json);

// `error.reason()` is the STS error code; its message is the error message.
net::ServerResponse StsErrorResponse(const Status& error, std::string_view request_id, bool json);

// STS's HTTP status for an error code (403 for SignatureDoesNotMatch, 400 for ExpiredToken…).
int StsErrorHttpStatus(std::string_view code);

}  // namespace wifgate::dev

#endif  // WIFGATE_DEV_DEV_STS_RESPONSES_H_
