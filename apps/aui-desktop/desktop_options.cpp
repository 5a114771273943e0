// aui-desktop's command line (desktop_options.hpp).

#include "desktop_options.hpp"

#include <cstdlib>
#include <filesystem>
#include <ostream>
#include <string>
#include <system_error>

#include "paths.hpp"

namespace aui::desktop {

namespace {

const char* const usage =
    "usage: aui-desktop [options]\n"
    "\n"
    "The desktop chat (Qt Quick). With no backend configured it uses aui's offline demo.\n"
    "\n"
    "Threads:\n"
    "  --db PATH          keep threads in this SQLite file (default: ~/.local/share/aui/aui.db,\n"
    "                     the file aui-chat uses)\n"
    "  --memory           keep threads in memory only\n"
    "  --recover-db       copy what can be read of a damaged thread file into a new one\n"
    "  --demo-delay MS    pause between the demo's chunks (default 30)\n"
    "  --light, --dark    the colours (default: the system's)\n"
    "  -h, --help         this text\n"
    "\n"
    "Capabilities:\n"
    "  --feedback-file F  record thumbs up/down in F, one JSON object a line (default:\n"
    "                     ~/.local/share/aui/feedback.jsonl, the file aui-chat uses)\n"
    "  --dictation-wav F  dictation hears the WAV file F instead of the microphone\n";

}  // namespace

ParseOutcome parse_args(int argc, const char* const* argv, DesktopOptions& options,
                        std::ostream& out, std::ostream& err) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const int backend = chat::parse_backend_arg(argc, argv, i, options.backend, err);
    if (backend < 0) return ParseOutcome::Fail;
    if (backend > 0) continue;
    auto value = [&](std::string& into) {
      if (i + 1 >= argc) {
        err << "aui-desktop: " << arg << " needs a value\n";
        return false;
      }
      into = argv[++i];
      return true;
    };
    if (arg == "-h" || arg == "--help") {
      out << usage << "\nBackend:\n" << chat::backend_usage();
      return ParseOutcome::Exit;
    } else if (arg == "--db") {
      if (!value(options.store.db_path)) return ParseOutcome::Fail;
    } else if (arg == "--memory") {
      options.store.memory = true;
    } else if (arg == "--recover-db") {
      options.store.recover_db = true;
    } else if (arg == "--feedback-file") {
      if (!value(options.feedback_file)) return ParseOutcome::Fail;
      options.feedback_file = chat::expand_user_path(options.feedback_file);
    } else if (arg == "--dictation-wav") {
      if (!value(options.dictation_wav)) return ParseOutcome::Fail;
      options.dictation_wav = chat::expand_user_path(options.dictation_wav);
      std::error_code ec;
      if (!std::filesystem::is_regular_file(options.dictation_wav, ec)) {
        err << "aui-desktop: --dictation-wav: there is no file \"" << options.dictation_wav
            << "\"\n";
        return ParseOutcome::Fail;
      }
    } else if (arg == "--light" || arg == "--dark") {
      options.theme = arg.substr(2);
    } else if (arg == "--demo-delay") {
      std::string ms;
      if (!value(ms)) return ParseOutcome::Fail;
      char* end = nullptr;
      const long n = std::strtol(ms.c_str(), &end, 10);
      if (ms.empty() || *end != '\0' || n < 0 || n > 10000) {
        err << "aui-desktop: --demo-delay takes milliseconds from 0 to 10000, not \"" << ms
            << "\"\n";
        return ParseOutcome::Fail;
      }
      options.demo_delay_ms = static_cast<int>(n);
    } else {
      err << "aui-desktop: unknown option \"" << arg << "\" (--help lists them)\n";
      return ParseOutcome::Fail;
    }
  }
  return ParseOutcome::Run;
}

}  // namespace aui::desktop
