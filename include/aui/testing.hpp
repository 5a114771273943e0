#pragma once
// aui::testing (target aui::testing): deterministic tests of an application's chat code, with any
// test framework (it does not depend on one).
//
//  * Driver  — a manual owner queue and an executor that knows when every worker has ended or is
//              parked (settle()), with a fake clock (advance()).
//  * Gate    — where a test double waits until the test lets it go on.
//  * ScriptedAdapter — a chat model adapter that replies, streams, fails or waits as scripted,
//              and records its calls (CallLog).
//
// See "Testing your chat code" in the README and examples/testing/.

#include "aui/testing/driver.hpp"            // IWYU pragma: export
#include "aui/testing/scripted_adapter.hpp"  // IWYU pragma: export
