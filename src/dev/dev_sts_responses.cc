#include "dev/dev_sts_responses.h"

#include <boost/json.hpp>

#include "common/json.h"

namespace wifgate::dev {
namespace {

constexpr std::string_view kXmlns = "https://sts.amazonaws.com/doc/2011-06-15/";

std::string XmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

void WriteXml(const StsNode& node, std::string& out) {
  out += "<" + node.name + ">";
  if (node.children.empty()) {
    out += XmlEscape(node.text);
  } else {
    for (const auto& child : node.children) WriteXml(child, out);
  }
  out += "</" + node.name + ">";
}

boost::json::value ToJsonValue(const StsNode& node) {
  if (node.children.empty()) {
    if (node.number) return boost::json::value(std::stod(node.text));
    return boost::json::value(node.text);
  }
  boost::json::object obj;
  for (const auto& child : node.children) obj[child.name] = ToJsonValue(child);
  return obj;
}

net::ServerResponse Render(const StsNode& root, int status, bool json) {
  net::ServerResponse resp;
  resp.status = status;
  if (json) {
    boost::json::object doc;
    doc[root.name] = ToJsonValue(root);
    resp.headers.push_back({"Content-Type", "application/json"});
    resp.body = ToJson(doc);
  } else {
    std::string body;
    WriteXml(root, body);
    // The namespace goes on the root element, as STS writes it.
    body.insert(root.name.size() + 1, " xmlns=\"" + std::string(kXmlns) + "\"");
    resp.headers.push_back({"Content-Type", "text/xml"});
    resp.body = std::move(body);
  }
  return resp;
}

}  // namespace

int StsErrorHttpStatus(std::string_view code) {
  if (code == "SignatureDoesNotMatch" || code == "InvalidClientTokenId" || code == "AccessDenied" ||
      code == "MissingAuthenticationToken") {
    return 403;
  }
  if (code == "InternalFailure") return 500;
  // ExpiredToken, RequestExpired, IncompleteSignature, InvalidParameterValue,
  // InvalidIdentityToken, ValidationError, InvalidAction, MissingParameter…
  return 400;
}

net::ServerResponse StsResultResponse(std::string_view action, std::vector<StsNode> result,
                                      std::string_view request_id, bool json) {
  StsNode root = StsNode::Tree(
      std::string(action) + "Response",
      {StsNode::Tree(std::string(action) + "Result", std::move(result)),
       StsNode::Tree("ResponseMetadata", {StsNode::Leaf("RequestId", std::string(request_id))})});
  return Render(root, 200, json);
}

net::ServerResponse StsErrorResponse(const Status& error, std::string_view request_id, bool json) {
  const int status = StsErrorHttpStatus(error.reason());
  StsNode err = StsNode::Tree(
      "Error", {StsNode::Leaf("Type", status >= 500 ? "Receiver" : "Sender"),
                StsNode::Leaf("Code", error.reason()), StsNode::Leaf("Message", error.message())});
  if (json) {
    net::ServerResponse resp;
    resp.status = status;
    boost::json::object doc;
    doc["Error"] = boost::json::object{{"Code", error.reason()},
                                       {"Message", error.message()},
                                       {"Type", status >= 500 ? "Receiver" : "Sender"}};
    doc["RequestId"] = request_id;
    resp.headers.push_back({"Content-Type", "application/json"});
    resp.body = ToJson(doc);
    return resp;
  }
  return Render(
      StsNode::Tree("ErrorResponse",
                    {std::move(err), StsNode::Leaf("RequestId", std::string(request_id))}),
      status, false);
}

}  // namespace wifgate::dev
