#pragma once
// The end-to-end test's hands on aui-desktop: when AUI_DESKTOP_TEST_SCRIPT names a QML file, the
// app loads it into its window with `hook` (this object), `window` and `chat`, and the script
// drives the UI through real input events (typed keys, clicks at an item's centre), takes a
// screenshot and quits with a status. Not created otherwise: a normal start has no test hook.

#include <QObject>
#include <QString>

class QQuickItem;
class QQuickWindow;

namespace aui::desktop {

class TestHook final : public QObject {
  Q_OBJECT

 public:
  explicit TestHook(QQuickWindow* window, QObject* parent = nullptr);

  /// Types `text` into the item that has the keyboard focus, key by key.
  Q_INVOKABLE void typeText(const QString& text);
  /// Presses and releases a key (Qt.Key_Return, ...) with modifiers (Qt.ShiftModifier, ...).
  Q_INVOKABLE void key(int key, int modifiers = 0);
  /// Clicks the centre of `item` with the left button.
  Q_INVOKABLE void click(QQuickItem* item);
  /// Saves the window's contents as a PNG; false when it could not be written.
  Q_INVOKABLE bool screenshot(const QString& path);
  /// The environment variable `name` ("" when unset): where the test wants its files.
  Q_INVOKABLE QString env(const QString& name) const;
  /// The text of the file at `path` ("" when it cannot be read): what the app wrote.
  Q_INVOKABLE QString readFile(const QString& path) const;
  /// Prints a line on standard error (the test's log).
  Q_INVOKABLE void log(const QString& line);
  /// Ends the app with `status` (0: the script passed).
  Q_INVOKABLE void quit(int status);

 private:
  QQuickWindow* window_;
};

}  // namespace aui::desktop
