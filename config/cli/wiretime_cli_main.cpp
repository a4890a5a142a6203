// wiretime-cli: the VRP shell. Interactive with libedit (history, `?` help, Tab completion,
// Ctrl+Z), or non-interactive from -c "line; line", a file, or stdin (stops at the first
// error, exit status 1). Commits go to wiretimed over its management socket (`--socket PATH`,
// default /run/wiretime/wiretimed.sock); `--offline FILE.yaml` edits and commits a
// configuration file instead.
#include <histedit.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "config/cli/offline_file_backend.hpp"
#include "config/cli/session.hpp"
#include "config/mgmt/daemon_socket_backend.hpp"
#include "config/mgmt/mgmt_protocol.hpp"

namespace {

using wiretime::cli::LineResult;
using wiretime::cli::Session;

constexpr const char* kUsage =
    "usage: wiretime-cli [--socket PATH | --offline FILE.yaml] [-c \"line; line\" | SCRIPT]\n"
    "  --socket PATH        wiretimed's management socket (default "
    "/run/wiretime/wiretimed.sock)\n"
    "  --offline FILE.yaml  edit FILE.yaml without a daemon; commit writes it atomically\n"
    "  -c LINES             run the ';'-separated lines, stop at the first error\n"
    "  SCRIPT               run the lines of SCRIPT ('-' for stdin), stop at the first error\n";

// Splits on ';' outside double quotes.
std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::string current;
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (c == ';' && !quoted) {
      lines.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  lines.push_back(current);
  return lines;
}

int run_batch(Session& session, std::istream& in) {
  std::string line;
  while (!session.finished() && std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string prompt = session.prompt();
    const LineResult result = session.execute(line);
    std::cout << result.output << std::flush;
    if (!result.error.empty()) {
      // The echo makes the caret line point at the right word.
      std::cerr << prompt << line << "\n" << result.error << std::flush;
    }
    if (result.failed) return 1;
  }
  return 0;
}

// ---- interactive ------------------------------------------------------------------------------

Session* g_session = nullptr;
bool g_ctrl_z = false;
std::string g_prompt;

char* prompt_fn(EditLine*) {
  // No blank after the prompt, as VRP: caret columns count from the prompt's first character.
  g_prompt = g_session->prompt();
  return g_prompt.data();
}

std::string line_to_cursor(EditLine* el) {
  const LineInfo* info = el_line(el);
  return std::string(info->buffer, static_cast<size_t>(info->cursor - info->buffer));
}

unsigned char help_fn(EditLine* el, int) {
  const std::string text = g_session->help(line_to_cursor(el));
  std::fputs("\n", stdout);
  std::fputs(text.c_str(), stdout);
  std::fflush(stdout);
  return CC_REDISPLAY;
}

unsigned char complete_fn(EditLine* el, int) {
  const std::string line = line_to_cursor(el);
  const std::vector<std::string> words = g_session->complete(line);
  if (words.empty()) return CC_REFRESH_BEEP;
  const size_t start =
      line.find_last_of(" \t") == std::string::npos ? 0 : line.find_last_of(" \t") + 1;
  const size_t typed = line.size() - start;
  std::string common = words.front();
  for (const std::string& w : words) {
    size_t n = 0;
    while (n < common.size() && n < w.size() && std::tolower(common[n]) == std::tolower(w[n])) ++n;
    common.resize(n);
  }
  if (words.size() == 1) {
    el_deletestr(el, static_cast<int>(typed));
    el_insertstr(el, (words.front() + " ").c_str());
    return CC_REFRESH;
  }
  if (common.size() > typed) {
    el_deletestr(el, static_cast<int>(typed));
    el_insertstr(el, common.c_str());
    return CC_REFRESH;
  }
  std::fputs("\n", stdout);
  for (const std::string& w : words) std::printf("  %s\n", w.c_str());
  std::fflush(stdout);
  return CC_REDISPLAY;
}

unsigned char ctrl_z_fn(EditLine*, int) {
  g_ctrl_z = true;
  return CC_NEWLINE;
}

int run_interactive(Session& session) {
  g_session = &session;
  EditLine* el = el_init("wiretime-cli", stdin, stdout, stderr);
  History* hist = history_init();
  HistEvent event;
  history(hist, &event, H_SETSIZE, 1000);
  el_set(el, EL_HIST, history, hist);
  el_set(el, EL_EDITOR, "emacs");
  el_set(el, EL_PROMPT, prompt_fn);
  // Ctrl+Z and Ctrl+C reach the editor as keys, not as signals.
  el_set(el, EL_SETTY, "-d", "-isig", nullptr);
  el_set(el, EL_ADDFN, "wt-help", "VRP context help", help_fn);
  el_set(el, EL_BIND, "?", "wt-help", nullptr);
  el_set(el, EL_ADDFN, "wt-complete", "Complete the keyword", complete_fn);
  el_set(el, EL_BIND, "^I", "wt-complete", nullptr);
  el_set(el, EL_ADDFN, "wt-return", "Return to the user view", ctrl_z_fn);
  el_set(el, EL_BIND, "^Z", "wt-return", nullptr);
  el_set(el, EL_BIND, "^C", "ed-start-over", nullptr);

  while (!session.finished()) {
    int count = 0;
    const char* raw = el_gets(el, &count);
    LineResult result;
    if (g_ctrl_z) {
      // The key ends el_gets with whatever was typed (possibly nothing); the line is dropped.
      g_ctrl_z = false;
      std::fputs("\n", stdout);
      result = session.ctrl_z();
    } else if (raw == nullptr || count <= 0) {
      std::fputs("\n", stdout);
      break;
    } else {
      std::string line(raw);
      while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
      if (!line.empty() && !session.question_pending()) {
        history(hist, &event, H_ENTER, line.c_str());
      }
      result = session.execute(line);
    }
    std::fputs(result.output.c_str(), stdout);
    std::fputs(result.error.c_str(), stdout);
    std::fflush(stdout);
  }
  history_end(hist);
  el_end(el);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string offline;
  std::string socket_path = wiretime::mgmt::kDefaultSocketPath;
  std::string commands;
  bool have_commands = false;
  std::string script;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--offline" && i + 1 < argc) {
      offline = argv[++i];
    } else if (arg == "--socket" && i + 1 < argc) {
      socket_path = argv[++i];
    } else if (arg == "-c" && i + 1 < argc) {
      commands = argv[++i];
      have_commands = true;
    } else if (arg == "-h" || arg == "--help") {
      std::cout << kUsage;
      return 0;
    } else if (script.empty() && (arg == "-" || arg[0] != '-')) {
      script = arg;
    } else {
      std::cerr << kUsage;
      return 2;
    }
  }
  std::unique_ptr<wiretime::cli::ConfigBackend> backend;
  if (offline.empty()) {
    auto connected = wiretime::mgmt::DaemonSocketBackend::connect(socket_path);
    if (auto* error = std::get_if<std::string>(&connected)) {
      std::cerr << "wiretime-cli: " << *error
                << " (is wiretimed running? --offline FILE.yaml "
                   "works without it)\n";
      return 2;
    }
    backend = std::move(std::get<0>(connected));
  } else {
    auto opened = wiretime::cli::OfflineFileBackend::open(offline);
    if (auto* error = std::get_if<wiretime::config::ConfigError>(&opened)) {
      std::cerr << "wiretime-cli: " << error->to_string(offline) << "\n";
      return 2;
    }
    backend = std::move(std::get<0>(opened));
  }
  Session session(*backend);

  if (have_commands) {
    std::string joined;
    for (const std::string& line : split_lines(commands)) joined += line + "\n";
    std::istringstream in(joined);
    return run_batch(session, in);
  }
  if (!script.empty() && script != "-") {
    std::ifstream in(script);
    if (!in) {
      std::cerr << "wiretime-cli: cannot open " << script << ": " << std::strerror(errno) << "\n";
      return 2;
    }
    return run_batch(session, in);
  }
  if (script == "-" || !::isatty(STDIN_FILENO)) return run_batch(session, std::cin);
  return run_interactive(session);
}
