// The test program's main: a QGuiApplication (the Chat's clipboard needs one) on the offscreen
// platform, then GoogleTest.

#include <gtest/gtest.h>

#include <QGuiApplication>

int main(int argc, char** argv) {
  // ctest sets it; test discovery at build time runs the program without ctest's environment.
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QGuiApplication app(argc, argv);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
