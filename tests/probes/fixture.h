#pragma once

// Fixture loading for the probes tests (tests/support/fixture.h).

#include "../support/fixture.h"

#include <QString>

#include <string>

using hadeck::test::fixture;

inline QString q(const std::string& s) { return QString::fromStdString(s); }
