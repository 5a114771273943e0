#include "support/source_paths.hpp"

namespace aui::testing {

std::filesystem::path source_dir() { return AUI_SOURCE_DIR; }

}  // namespace aui::testing
