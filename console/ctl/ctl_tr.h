#pragma once

// hadeckctl's strings live under one catalog context, "hadeckctl", whatever
// namespace or class the call sits in. Declared here so the translation tools
// read the same context the program asks for.

#include <QCoreApplication>

namespace hadeck::ctl {

struct Ctl {
    Q_DECLARE_TR_FUNCTIONS(hadeckctl)
};

} // namespace hadeck::ctl
