#pragma once
// What aui-desktop runs: the backend the options and the environment choose (the same choice as
// aui-chat's: apps/common), the thread store, the demo when nothing is configured; made into
// the ChatFactory an aui::qt::Chat uses. `Desktop` is the object the window's QML sees as
// `desktop`: the settings dialog reads and changes provider, base URL and model through it.

#include <QObject>
#include <QString>
#include <memory>

#include "aui/qt/chat.hpp"
#include "desktop_options.hpp"
#include "store_setup.hpp"

namespace aui::desktop {

/// The factory of a Chat for these options: a LocalRuntime on the thread store (or in memory)
/// whose threads run the chosen backend (or the demo) with its tools, the session's settings
/// (system prompt, temperature, ...) and the capability adapters the build has. `banner` receives
/// the sentence that says which backend it is. Throws std::invalid_argument when the options
/// ask for a backend the build does not have.
aui::qt::ChatFactory make_chat_factory(const DesktopOptions& options,
                                       std::shared_ptr<ThreadStore> store, QString& banner);

/// The window's view of the app settings. GUI thread only.
class Desktop final : public QObject {
  Q_OBJECT
  Q_PROPERTY(QString provider READ provider NOTIFY settingsChanged)
  Q_PROPERTY(QString baseUrl READ baseUrl NOTIFY settingsChanged)
  Q_PROPERTY(QString model READ model NOTIFY settingsChanged)
  Q_PROPERTY(QString banner READ banner NOTIFY settingsChanged)
  Q_PROPERTY(QString storeLine READ storeLine CONSTANT)
  Q_PROPERTY(QString apiKeySource READ apiKeySource NOTIFY settingsChanged)

 public:
  Desktop(DesktopOptions options, chat::AppStore store, QObject* parent = nullptr);

  /// The factory for the current settings (the Chat created by the window's QML uses it).
  aui::qt::ChatFactory factory();

  QString provider() const;
  QString baseUrl() const;
  QString model() const;
  QString banner() const { return banner_; }
  QString storeLine() const;
  /// Which environment variable the API key comes from, as a sentence ("" never: it says when
  /// there is none). The key itself is never shown nor set here.
  QString apiKeySource() const;

  /// Switches `chat` to another provider ("openai", "anthropic", "demo" or "" for the
  /// environment's choice), base URL and model; the threads stay. Returns "" when done, else a
  /// sentence saying why not (the chat keeps its backend then).
  Q_INVOKABLE QString apply(QObject* chat, const QString& provider, const QString& baseUrl,
                            const QString& model);

 signals:
  void settingsChanged();

 private:
  DesktopOptions options_;
  chat::AppStore store_;
  QString banner_;
};

}  // namespace aui::desktop
