#pragma once
// Shared by the aui::qt tests: a thread runtime on aui::testing's Driver, messages to start from,
// and readers for QSignalSpy's recorded signals.

#include <QAbstractItemModel>
#include <QSignalSpy>
#include <memory>
#include <string>
#include <vector>

#include "aui/runtime/thread_runtime.hpp"
#include "aui/testing.hpp"

namespace aui::qt::test {

/// `n` alternating user/assistant messages "m0", "m1", … (complete).
inline std::vector<ThreadMessageLike> linear_messages(std::size_t n) {
  std::vector<ThreadMessageLike> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    auto m =
        ThreadMessageLike::text(i % 2 == 0 ? Role::User : Role::Assistant, "m" + std::to_string(i));
    m.id = "m" + std::to_string(i);
    out.push_back(std::move(m));
  }
  return out;
}

/// Runtime options on the driver: owner queue, workers and clock, updates applied as they come.
inline ThreadRuntimeOptions driver_options(testing::Driver& driver, ChatModelAdapter model) {
  ThreadRuntimeOptions o;
  o.chat_model = std::move(model);
  o.dispatcher = driver.dispatcher();
  o.executor = driver.executor();
  o.clock = driver.clock();
  return o;
}

/// Every signal that changes a list model's rows, recorded from construction.
struct ModelSpies {
  explicit ModelSpies(QAbstractItemModel* model)
      : changed(model, &QAbstractItemModel::dataChanged),
        inserted(model, &QAbstractItemModel::rowsInserted),
        removed(model, &QAbstractItemModel::rowsRemoved),
        moved(model, &QAbstractItemModel::rowsMoved),
        reset(model, &QAbstractItemModel::modelReset),
        layout(model, &QAbstractItemModel::layoutChanged) {}
  QSignalSpy changed;
  QSignalSpy inserted;
  QSignalSpy removed;
  QSignalSpy moved;
  QSignalSpy reset;
  QSignalSpy layout;
};

/// The (first, last) rows of a recorded rowsInserted/rowsRemoved.
inline std::pair<int, int> rows_of(const QList<QVariant>& signal) {
  return {signal.at(1).toInt(), signal.at(2).toInt()};
}

}  // namespace aui::qt::test
