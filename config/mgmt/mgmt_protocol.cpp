#include "config/mgmt/mgmt_protocol.hpp"

#include "config/ntp_config/ntp_config_yaml.hpp"

namespace wiretime::mgmt {

namespace {

const char* kind_name(RequestKind kind) {
  switch (kind) {
    case RequestKind::kRunning:
      return "running";
    case RequestKind::kInventory:
      return "inventory";
    case RequestKind::kCommit:
      return "commit";
    case RequestKind::kDisplay:
      return "display";
    case RequestKind::kReset:
      return "reset";
  }
  return "?";
}

std::variant<config::NtpConfig, std::string> config_from(const std::string& yaml,
                                                         const char* what) {
  auto decoded = config::ntp_config_from_yaml_text(yaml);
  if (auto* error = std::get_if<config::ConfigError>(&decoded)) {
    return std::string(what) + ": " + error->to_string();
  }
  return std::get<config::NtpConfig>(decoded);
}

}  // namespace

Fields encode_request(const Request& request) {
  Fields fields = {kProtocolVersion, kind_name(request.kind)};
  switch (request.kind) {
    case RequestKind::kRunning:
    case RequestKind::kInventory:
      break;
    case RequestKind::kCommit:
      fields.push_back(config::ntp_config_to_yaml_text(request.candidate));
      if (request.base) fields.push_back(config::ntp_config_to_yaml_text(*request.base));
      break;
    case RequestKind::kDisplay:
    case RequestKind::kReset:
      fields.push_back(request.what);
      break;
  }
  return fields;
}

std::variant<Request, std::string> decode_request(const Fields& fields) {
  if (fields.size() < 2 || fields[0] != kProtocolVersion) {
    return std::string("unsupported management protocol");
  }
  Request request;
  const std::string& kind = fields[1];
  if (kind == "running" || kind == "inventory") {
    if (fields.size() != 2) return "malformed " + kind + " request";
    request.kind = kind == "running" ? RequestKind::kRunning : RequestKind::kInventory;
    return request;
  }
  if (kind == "display" || kind == "reset") {
    if (fields.size() != 3) return "malformed " + kind + " request";
    request.kind = kind == "display" ? RequestKind::kDisplay : RequestKind::kReset;
    request.what = fields[2];
    return request;
  }
  if (kind == "commit") {
    if (fields.size() != 3 && fields.size() != 4) return std::string("malformed commit request");
    request.kind = RequestKind::kCommit;
    auto candidate = config_from(fields[2], "candidate");
    if (auto* error = std::get_if<std::string>(&candidate)) return *error;
    request.candidate = std::get<config::NtpConfig>(std::move(candidate));
    if (fields.size() == 4) {
      auto base = config_from(fields[3], "base");
      if (auto* error = std::get_if<std::string>(&base)) return *error;
      request.base = std::get<config::NtpConfig>(std::move(base));
    }
    return request;
  }
  return "unknown request '" + kind + "'";
}

Fields encode_response(const Response& response) {
  return {kProtocolVersion, response.ok ? "ok" : "error", response.body};
}

std::variant<Response, std::string> decode_response(const Fields& fields) {
  if (fields.size() != 3 || fields[0] != kProtocolVersion ||
      (fields[1] != "ok" && fields[1] != "error")) {
    return std::string("malformed response from wiretimed");
  }
  return Response{fields[1] == "ok", fields[2]};
}

}  // namespace wiretime::mgmt
