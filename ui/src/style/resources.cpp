#include "style/theme.h"

#include <QtGlobal>

// Q_INIT_RESOURCE must be used outside any namespace.
static void initIconResources() { Q_INIT_RESOURCE(icons); }

namespace hadeck::ui {

void initResources()
{
    // In a static library the resource's static initializer is dropped by the
    // linker unless something references it: this is that reference.
    static const bool done = [] {
        initIconResources();
        return true;
    }();
    (void)done;
}

} // namespace hadeck::ui
