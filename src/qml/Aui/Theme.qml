// The colours and sizes of the Aui components, light or dark. Sizes are in device-independent
// pixels (Qt scales them at 200 %); text sizes follow the application font, so a larger system
// font makes every component larger. Set `Theme.dark` (aui-desktop follows the system palette).
pragma Singleton
import QtQuick

QtObject {
    property bool dark: false

    readonly property color window: dark ? "#1e1f22" : "#ffffff"
    readonly property color sidebar: dark ? "#2b2d31" : "#f3f4f6"
    readonly property color text: dark ? "#e8e8ea" : "#1f2328"
    readonly property color mutedText: dark ? "#a0a4ab" : "#57606a"
    readonly property color userBubble: dark ? "#2f3b52" : "#e8f0fe"
    readonly property color assistantBubble: dark ? "#26272b" : "#f6f8fa"
    readonly property color codeBackground: dark ? "#16171a" : "#eef0f3"
    readonly property color border: dark ? "#3c3f45" : "#d0d7de"
    readonly property color accent: dark ? "#7aa2f7" : "#0969da"
    readonly property color error: dark ? "#f7768e" : "#cf222e"
    readonly property color warning: dark ? "#e0af68" : "#9a6700"
    readonly property color link: accent

    readonly property int spacing: 8
    readonly property int radius: 8
    readonly property int padding: 10
    readonly property string monoFamily: "DejaVu Sans Mono"
}
