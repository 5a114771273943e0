// A custom REST adapter on libcurl: the "one run function" of the quick start.

#include "rest_adapter.hpp"

#include <curl/curl.h>

#include <stdexcept>

#include <aui/model/message_json.hpp>

namespace {

size_t collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

int check_cancel(void* stop, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<std::stop_token*>(stop)->stop_requested() ? 1 : 0;  // non-zero aborts
}

}  // namespace

aui::ChatModelAdapter make_rest_adapter(std::string url) {
  return [url](const aui::ChatModelRunOptions& options) {
    aui::Json body{{"messages", aui::Json::array()}};
    for (const auto& m : options.messages) {
      body["messages"].push_back({{"role", aui::to_string(m->role)}, {"content", m->text()}});
    }
    const std::string payload = body.dump();
    std::string response;
    std::stop_token stop = options.stop_token;

    CURL* curl = curl_easy_init();
    if (!curl) throw std::runtime_error("curl_easy_init failed");
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, payload.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, check_cancel);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &stop);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    const CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);

    if (rc == CURLE_ABORTED_BY_CALLBACK) throw aui::Cancelled();
    if (rc != CURLE_OK)
      throw std::runtime_error(std::string("request failed: ") + curl_easy_strerror(rc));
    if (status != 200)
      throw std::runtime_error("the server answered HTTP " + std::to_string(status));
    const aui::Json reply = aui::parse_json(response, "the server's reply");
    if (!reply.contains("text") || !reply["text"].is_string()) {
      throw std::runtime_error("the server's reply has no \"text\"");
    }
    return aui::ChatModelRunResult::text(reply["text"].get<std::string>());
  };
}
