// Anchor of the test support library (the doubles live beside it).
namespace aui::testing {
int support_library_anchor = 0;
}  // namespace aui::testing
