// GoogleTest checks over a Sim, shared by the test files (a unity batch compiles several
// files as one translation unit, where two helpers of the same name would collide).
#pragma once

#include <gtest/gtest.h>

#include "sim.hpp"

namespace gc::sim {

// Neither the fake server nor any session's media bridge saw a protocol violation.
inline void expect_no_violations(Sim& sim) {
  EXPECT_TRUE(sim.server().violations().empty())
      << "server saw: " << (sim.server().violations().empty() ? "" : sim.server().violations()[0]);
  for (int i = 0; i < sim.size(); ++i)
    EXPECT_TRUE(sim.media_violations(i).empty())
        << "session " << i << ": " << (sim.media_violations(i).empty() ? "" : sim.media_violations(i)[0]);
}

}  // namespace gc::sim
