#include "config/mgmt/mgmt_service.hpp"

#include "config/ntp_config/ntp_config_validate.hpp"
#include "config/ntp_config/ntp_config_yaml.hpp"

namespace wiretime::mgmt {

MgmtService::MgmtService(DaemonHooks hooks, apply::RunningFile file)
    : hooks_(std::move(hooks)), file_(std::move(file)) {}

CommitOutcome MgmtService::commit(const config::NtpConfig& candidate,
                                  const std::optional<config::NtpConfig>& base) {
  std::lock_guard lock(mutex_);
  CommitOutcome outcome;
  const config::NtpConfig running = hooks_.running();
  if (base && !(*base == running) && !(candidate == running)) {
    outcome.message = kRunningChangedText;
    return outcome;
  }
  if (auto error = config::validate_ntp_config(candidate, hooks_.inventory())) {
    outcome.message = error->to_string();
    return outcome;
  }
  outcome.plan = apply::plan_apply(running, candidate);
  if (candidate == running) {
    outcome.ok = true;
    return outcome;
  }
  auto saved = file_.save();
  if (auto* error = std::get_if<std::string>(&saved)) {
    outcome.message = "cannot read the running file: " + *error;
    return outcome;
  }
  if (auto error = file_.write(candidate)) {
    outcome.message = "cannot write the running file: " + *error;
    return outcome;
  }
  if (auto error = hooks_.apply(outcome.plan, candidate)) {
    // The daemon still runs the old configuration: the file must say so too.
    std::string message = "wiretimed could not apply the configuration: " + *error;
    if (auto restore = file_.restore(std::get<apply::RunningFile::Saved>(saved))) {
      message += "; restoring the running file failed too: " + *restore;
    }
    outcome.message = message;
    return outcome;
  }
  ++commits_;
  outcome.ok = true;
  return outcome;
}

std::optional<std::string> MgmtService::display(std::string_view what) {
  if (!hooks_.status) return std::nullopt;
  return display::render_live_display(what, hooks_.status());
}

Response MgmtService::handle(const Request& request) {
  switch (request.kind) {
    case RequestKind::kRunning:
      return {true, config::ntp_config_to_yaml_text(hooks_.running())};
    case RequestKind::kInventory: {
      std::string names;
      for (const std::string& name : hooks_.inventory().names) names += name + "\n";
      return {true, names};
    }
    case RequestKind::kCommit: {
      CommitOutcome outcome = commit(request.candidate, request.base);
      return {outcome.ok, outcome.message};
    }
    case RequestKind::kDisplay: {
      if (auto text = display(request.what)) return {true, *text};
      return {false, "The display '" + request.what + "' is not available."};
    }
    case RequestKind::kReset: {
      const bool v4 = request.what == "statistics";
      if ((!v4 && request.what != "statistics ipv6") || !hooks_.reset_statistics) {
        return {false, "The counters '" + request.what + "' cannot be reset."};
      }
      hooks_.reset_statistics(v4, true);  // as the display: no `ipv6`, both blocks
      return {true, ""};
    }
  }
  return {false, "unknown request"};
}

void MgmtService::handle_async(const Request& request, std::function<void(const Response&)> reply) {
  if (request.kind == RequestKind::kDisplay && request.what == "trace" && hooks_.trace) {
    hooks_.trace([reply = std::move(reply)](std::string text) { reply({true, std::move(text)}); });
    return;
  }
  reply(handle(request));
}

}  // namespace wiretime::mgmt
