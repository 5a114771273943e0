#pragma once
// Where the source tree is, for tests that read its fixtures. One unit holds the path, so the
// other test units compile the same in every checkout (and hit a shared compile cache).

#include <filesystem>

namespace aui::testing {

/// The project's source directory (the one CMake configured).
std::filesystem::path source_dir();

}  // namespace aui::testing
