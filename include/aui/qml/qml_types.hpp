#pragma once
// The QML module Aui (`import Aui`): its components are QML files compiled into the program
// (qrc:/qt/qml/Aui/); aui::qt's C++ types join them under the same import.

class QQmlEngine;

namespace aui::qml {

/// Registers Chat (creatable) and ChatComposer, MessageListModel, PartListModel,
/// ThreadListModel and ThreadSearchModel (made by a Chat) as types of `import Aui`. Idempotent;
/// GUI thread, before the first QML file that imports Aui is loaded.
void register_types();

/// register_types() and the import path of the compiled-in module (qrc:/qt/qml), so that
/// `import Aui` resolves in `engine`. Call it before loading QML into the engine.
void init(QQmlEngine& engine);

}  // namespace aui::qml
