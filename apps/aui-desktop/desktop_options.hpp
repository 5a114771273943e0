#pragma once
// aui-desktop's command line: the backend flags aui-chat has (backend_options.hpp: --provider,
// --base-url, --model, --demo-tools, --insecure, --system, ...) and where threads are kept (--db,
// --memory, --recover-db), shared with aui-chat; plus the demo's pace.

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
};

enum class ParseOutcome { Run, Exit, Fail };

/// Reads the command line (Qt's own options, e.g. -platform, are taken out before). `--help`
/// prints the usage to `out` (Exit); a bad argument prints one line to `err` (Fail).
ParseOutcome parse_args(int argc, const char* const* argv, DesktopOptions& options,
                        std::ostream& out, std::ostream& err);

}  // namespace aui::desktop
