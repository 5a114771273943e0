#pragma once
// aui-desktop's command line: the backend flags aui-chat has (backend_options.hpp: --provider,
// --base-url, --model, --demo-tools, --insecure, --system, ...) and where threads are kept (--db,
// --memory, --recover-db), shared with aui-chat; plus the demo's pace, the feedback file and
// dictation from a WAV file.

#include <iosfwd>
#include <string>

#include "backend_options.hpp"
#include "store_setup.hpp"

namespace aui::desktop {

struct DesktopOptions {
  chat::BackendOptions backend{};
  chat::StoreOptions store{};
  /// Pause between the demo adapter's chunks.
  int demo_delay_ms = 30;
  /// "light", "dark", or "" to follow the system's palette.
  std::string theme{};
  /// Where thumbs up/down are recorded (JSON lines); "" = the file aui-chat uses
  /// (apps/common/feedback_file.hpp).
  std::string feedback_file{};
  /// Dictation hears this WAV file instead of the microphone (for trying it without one, and
  /// for tests); "" = the microphone, when a recorder is installed.
  std::string dictation_wav{};
};

enum class ParseOutcome { Run, Exit, Fail };

/// Reads the command line (Qt's own options, e.g. -platform, are taken out before). `--help`
/// prints the usage to `out` (Exit); a bad argument prints one line to `err` (Fail).
ParseOutcome parse_args(int argc, const char* const* argv, DesktopOptions& options,
                        std::ostream& out, std::ostream& err);

}  // namespace aui::desktop
