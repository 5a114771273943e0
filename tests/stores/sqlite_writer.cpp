// Writes messages into a SQLite store from its own process: sqlite_writer <db> <thread> <prefix>
// <n>. The stores tests run two of these at once against one file.
#include <cstdlib>
#include <iostream>
#include <string>

#include "aui/stores/sqlite_store.hpp"

int main(int argc, char** argv) {
  if (argc != 5) {
    std::cerr << "usage: sqlite_writer <db> <thread> <prefix> <count>\n";
    return 2;
  }
  try {
    aui::SqliteStoreOptions options;
    options.path = argv[1];
    options.recover_interrupted = false;  // the other writer is live
    auto store = aui::SqliteStore::open(options);
    auto history = store->history(argv[2]);
    const int n = std::atoi(argv[4]);
    for (int i = 0; i < n; ++i) {
      auto m = std::make_shared<aui::ThreadMessage>();
      m->id = std::string(argv[3]) + std::to_string(i);
      m->role = aui::Role::User;
      m->created_at = aui::now_timestamp();
      m->content.push_back(aui::TextPart{aui::Text("written by " + std::string(argv[3]))});
      history->append(aui::ExportedMessageRepositoryItem{m, std::nullopt, std::nullopt});
    }
  } catch (const std::exception& e) {
    std::cerr << "sqlite_writer: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
