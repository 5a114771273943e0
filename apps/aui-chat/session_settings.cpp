// aui-chat's session settings and the /model and /system commands.

#include "session_settings.hpp"

#include <algorithm>
#include <exception>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <thread>

#include "terminal_text.hpp"

namespace aui::chat {

SessionCommands::SessionCommands(SessionSettings& settings, std::ostream& out,
                                 std::string current_model, ModelLister list_models,
                                 std::function<void(std::function<void()>)> post)
    : settings_(settings),
      out_(out),
      backend_model_(std::move(current_model)),
      list_models_(std::move(list_models)),
      post_(std::move(post)) {}

bool SessionCommands::handles(const std::string& cmd) {
  return cmd == "/model" || cmd == "/system";
}

const char* SessionCommands::help() {
  return "  /model                 show the model and list the ones the server offers\n"
         "  /model NAME            use NAME from the next message on (every thread)\n"
         "  /system [TEXT]         show the system prompt, or set it (/system off clears it)\n";
}

void SessionCommands::run(const std::string& cmd, const std::string& args,
                          const std::function<void()>& done) {
  if (cmd == "/system") {
    if (args.empty()) {
      out_ << (settings_.system_prompt.empty()
                   ? std::string("There is no system prompt. /system TEXT sets one.")
                   : "The system prompt: " +
                         sanitize_terminal_text(settings_.system_prompt, true).text)
           << '\n';
    } else if (args == "off") {
      settings_.system_prompt.clear();
      out_ << "The system prompt is off.\n";
    } else {
      settings_.system_prompt = args;
      out_ << "The system prompt is set; it is sent with the next message.\n";
    }
    done();
    return;
  }
  // /model
  const std::string current = settings_.model.empty() ? backend_model_ : settings_.model;
  if (!args.empty()) {
    if (args.find_first_of(" \t") != std::string::npos)
      throw std::runtime_error("a model name has no spaces: /model NAME");
    if (backend_model_.empty())
      throw std::runtime_error("the offline demo has no models to choose from");
    settings_.model = args;
    out_ << "The model is " << sanitize_terminal_text(args, true).text
         << " from the next message on.\n";
    done();
    return;
  }
  if (current.empty()) {
    out_ << "This is the offline demo: it has no models to choose from.\n";
    done();
    return;
  }
  out_ << "The model is " << sanitize_terminal_text(current, true).text << ".\n";
  if (!list_models_) {
    out_ << "This backend cannot list its models; /model NAME uses another.\n";
    done();
    return;
  }
  // The server may take seconds to answer: the chat goes on meanwhile.
  out_ << "Asking the server for its models...\n";
  std::thread([list = list_models_, post = post_,
               finish = lifetime_.guard(
                   [this, done](std::vector<std::string> models, std::string failure) {
                     show_models(std::move(models), failure);
                     done();
                   })]() mutable {
    std::vector<std::string> models;
    std::string failure;
    try {
      models = list();
    } catch (const std::exception& e) {
      failure = e.what();
    } catch (...) {
      failure = "the request failed";
    }
    post([finish = std::move(finish), models = std::move(models),
          failure = std::move(failure)]() mutable { finish(std::move(models), failure); });
  }).detach();
}

void SessionCommands::show_models(std::vector<std::string> models, const std::string& failure) {
  if (!failure.empty()) {
    out_ << "The server's models could not be listed: "
         << sanitize_terminal_text(failure, true).text << '\n';
    return;
  }
  if (models.empty()) {
    out_ << "The server lists no models.\n";
    return;
  }
  const std::string current = settings_.model.empty() ? backend_model_ : settings_.model;
  out_ << "The server offers " << models.size() << (models.size() == 1 ? " model" : " models")
       << ":\n";
  constexpr std::size_t kShown = 50;
  for (std::size_t i = 0; i < std::min(models.size(), kShown); ++i) {
    out_ << (models[i] == current ? "  * " : "    ") << sanitize_terminal_text(models[i], true).text
         << '\n';
  }
  if (models.size() > kShown) out_ << "    ... and " << models.size() - kShown << " more\n";
  out_ << "/model NAME switches.\n";
}

}  // namespace aui::chat
