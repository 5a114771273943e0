// aui-desktop's backend and settings (desktop_backend.hpp).

#include "desktop_backend.hpp"

#include <chrono>
#include <exception>
#include <stdexcept>

#include "aui/adapters/model_suggestion_adapter.hpp"
#include "aui/demo/demo_adapter.hpp"
#include "aui/demo/demo_tools.hpp"
#include "aui/local_runtime.hpp"
#include "backend_options.hpp"
#include "feedback_file.hpp"
#include "session_context.hpp"
#include "user_errors.hpp"
#if AUI_DESKTOP_WITH_ATTACHMENTS
#include "aui/attachments/file_attachments.hpp"
#endif
#if AUI_DESKTOP_WITH_SPEECH
#include "aui/speech/espeak_speech_adapter.hpp"
#endif
#if AUI_DESKTOP_WITH_DICTATION
#include "aui/dictation/pocketsphinx_dictation_adapter.hpp"
#endif

namespace aui::desktop {

namespace {

// What the threads of one runtime share: the tools and the session's settings. Each thread's
// registrations keep it alive as long as the thread (they are released to the thread).
struct Shared {
  Toolkit tools;
  chat::SessionSettings session;
};

#if AUI_DESKTOP_WITH_DICTATION
// Dictation from the WAV file the options name, else from the microphone; none when it would
// have nothing to hear (no recorder, no model), so the composer shows no microphone button that
// could only fail.
std::shared_ptr<DictationAdapter> dictation_adapter(const DesktopOptions& options) {
  dictation::PocketsphinxOptions o;
  if (!options.dictation_wav.empty()) o.wav_path = options.dictation_wav;
  auto adapter = std::make_shared<dictation::PocketsphinxDictationAdapter>(std::move(o));
  return adapter->can_listen() ? adapter : nullptr;
}
#endif

ThreadAdapters capability_adapters(const ChatModelAdapter& model, const DesktopOptions& options) {
  ThreadAdapters a;
#if AUI_DESKTOP_WITH_ATTACHMENTS
  a.attachments = attachments::make_default_attachment_adapter();
#endif
#if AUI_DESKTOP_WITH_SPEECH
  a.speech = std::make_shared<speech::EspeakSpeechAdapter>();
#endif
#if AUI_DESKTOP_WITH_DICTATION
  a.dictation = dictation_adapter(options);
#endif
  // Thumbs up/down go to the feedback file aui-chat also writes.
  a.feedback = chat::make_feedback_adapter(options.feedback_file);
  // Suggestions after each reply, asked of the same model.
  if (model) a.suggestion = std::make_shared<ModelSuggestionAdapter>(model);
  return a;
}

}  // namespace

aui::qt::ChatFactory make_chat_factory(const DesktopOptions& options,
                                       std::shared_ptr<ThreadStore> store, QString& banner) {
  auto shared = std::make_shared<Shared>();
  shared->session = chat::SessionSettings::from(options.backend);
  ChatModelAdapter adapter;
  if (auto chosen = chat::choose_backend(options.backend)) {
    adapter = std::move(chosen->adapter);
    shared->tools = std::move(chosen->tools);
    banner = QString::fromStdString(chosen->description);
  } else {
    adapter = make_demo_adapter({std::chrono::milliseconds(options.demo_delay_ms), 3});
    shared->tools = make_demo_toolkit();
    banner = QStringLiteral(
        "Offline demo (no backend configured): try “tell me a story”, “what is 12*(3+4)”, “deploy "
        "the api to staging”.");
  }
  const QString description = banner;
  return [adapter, shared, store, description, options](const aui::qt::ChatSetup& setup) {
    ThreadListRuntimeOptions list;
    auto& thread = list.thread;
    thread.chat_model = adapter;
    thread.dispatcher = setup.dispatcher;
    // Errors no caller receives (a failed save, a failed title) show in the window.
    thread.on_error = setup.on_error;
    thread.human_tool_names = human_tool_names(shared->tools);
    thread.max_steps = 8;  // a real model may call tools a few times before it answers
    thread.enable_message_queue = true;
    // A crash while a reply streams loses at most its last quarter second.
    thread.history_checkpoint_interval = std::chrono::milliseconds(250);
    thread.adapters = capability_adapters(adapter, options);
    if (store) {
      list.adapter = store;
      const ThreadAdapters capabilities = thread.adapters;
      list.adapters_for = [store, capabilities](const ThreadListItem& item) {
        ThreadAdapters adapters = capabilities;
        adapters.history = store->history(item.remote_id.value_or(item.id));
        return adapters;
      };
    }
    list.on_thread_started = [shared](ThreadRuntime& t, const ThreadListItem&) {
      t.register_tools(shared->tools).release();
      t.register_model_context_provider([shared] { return shared->session.context(); }).release();
    };
    aui::qt::ChatBackend backend;
    backend.runtime = std::make_unique<LocalRuntime>(std::move(list));
    backend.store = store;
    backend.description = description;
    return backend;
  };
}

Desktop::Desktop(DesktopOptions options, chat::AppStore store, QObject* parent)
    : QObject(parent), options_(std::move(options)), store_(std::move(store)) {}

aui::qt::ChatFactory Desktop::factory() {
  auto f = make_chat_factory(options_, store_.store, banner_);
  emit settingsChanged();
  return f;
}

QString Desktop::provider() const { return QString::fromStdString(options_.backend.provider); }
QString Desktop::baseUrl() const { return QString::fromStdString(options_.backend.base_url); }
QString Desktop::model() const { return QString::fromStdString(options_.backend.model); }
QString Desktop::storeLine() const { return QString::fromStdString(store_.line); }

QString Desktop::apiKeySource() const {
  const auto set = [](const char* name) { return !chat::process_env(name).empty(); };
  QStringList from;
  if (set("OPENAI_API_KEY")) from << QStringLiteral("OPENAI_API_KEY");
  if (set("ANTHROPIC_API_KEY")) from << QStringLiteral("ANTHROPIC_API_KEY");
  if (from.isEmpty())
    return tr(
        "No API key is set. Keys are read from the environment only (OPENAI_API_KEY, "
        "ANTHROPIC_API_KEY): set one and start aui-desktop again.");
  return tr("API key from the environment: %1.").arg(from.join(QStringLiteral(", ")));
}

QString Desktop::apply(QObject* chat_object, const QString& provider, const QString& base_url,
                       const QString& model) {
  auto* chat = qobject_cast<aui::qt::Chat*>(chat_object);
  if (!chat) return tr("There is no chat to apply the settings to.");
  const QString name = provider.trimmed();
  // choose_backend takes any other name for Anthropic; the command line checks the name first.
  if (!name.isEmpty() && name != QLatin1String("openai") && name != QLatin1String("anthropic") &&
      name != QLatin1String("demo"))
    return tr("There is no provider “%1”: choose OpenAI-compatible, Anthropic or the offline demo.")
        .arg(name);
  DesktopOptions next = options_;
  next.backend.provider = name.toStdString();
  next.backend.base_url = base_url.trimmed().toStdString();
  next.backend.model = model.trimmed().toStdString();
  QString banner;
  aui::qt::ChatFactory factory;
  try {
    factory = make_chat_factory(next, store_.store, banner);
  } catch (const std::exception& e) {
    return QString::fromStdString(chat::user_error_text(e));
  }
  options_ = std::move(next);
  banner_ = banner;
  chat->set_backend(factory);
  emit settingsChanged();
  return {};
}

}  // namespace aui::desktop
