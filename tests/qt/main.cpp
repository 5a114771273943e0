// The test program's main: a QGuiApplication (the Chat's clipboard needs one) on the offscreen
// platform, then GoogleTest. Under AddressSanitizer a QCoreApplication: the platform plugin's
// libraries (fontconfig, …) keep allocations LeakSanitizer would report; the clipboard check is
// then skipped.

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QGuiApplication>

int main(int argc, char** argv) {
  // ctest sets it; test discovery at build time runs the program without ctest's environment.
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
#if defined(__SANITIZE_ADDRESS__)
  QCoreApplication app(argc, argv);
#else
  QGuiApplication app(argc, argv);
#endif
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
