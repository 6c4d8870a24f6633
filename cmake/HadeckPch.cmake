# Precompiled headers for the tests. Most of a test's compile time is spent parsing the same Qt,
# nlohmann/json and standard headers again: <QtTest> alone is 225,000 lines. HADECK_PCH parses
# them once for all the tests. (Per library it did not pay: over a whole build, each library's
# precompiled header cost about what its sources saved, and 3 GB of disk.)
option(HADECK_PCH "Precompile the headers the tests share (faster builds)" ON)

# The tests: one precompiled header for all of them, and one with QtWidgets for the GUI tests.
# Each test reuses a donor's (REUSE_FROM), which GCC accepts when every macro the header reads
# has the same value in the test. So the headers leave out the parts of QtTest that read the Qt
# module macros (QT_GUI_LIB, QT_WIDGETS_LIB...: qtest.h and its GUI helpers, parsed per test),
# and QT_TESTCASE_BUILDDIR/SOURCEDIR get one value for every test (tests/CMakeLists.txt). Other
# compilers compare the whole command line, so only GCC shares.
set(_hadeck_test_pch <algorithm> <array> <chrono> <cstdint> <functional> <map> <memory> <optional> <set>
    <string> <string_view> <unordered_map> <utility> <variant> <vector> <nlohmann/json.hpp> <QtCore> <QtTest/qtestcase.h>
    <QtTest/qsignalspy.h> <QtTest/qtestdata.h> <QtTest/qtesteventloop.h>)

function(hadeck_test_pch_donors)
    if(NOT HADECK_PCH OR NOT CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
        return()
    endif()
    set(_src ${CMAKE_CURRENT_BINARY_DIR}/hadeck_test_pch_donor.cpp)
    file(CONFIGURE OUTPUT ${_src} CONTENT "int main() { return 0; }\n")
    add_executable(hadeck_test_pch ${_src})
    target_link_libraries(hadeck_test_pch PRIVATE Qt6::Test hadeck_warnings)
    target_precompile_headers(hadeck_test_pch PRIVATE ${_hadeck_test_pch})
    if(TARGET Qt6::Widgets)
        add_executable(hadeck_test_pch_widgets ${_src})
        target_link_libraries(hadeck_test_pch_widgets PRIVATE Qt6::Test Qt6::Widgets hadeck_warnings)
        target_precompile_headers(hadeck_test_pch_widgets PRIVATE ${_hadeck_test_pch} <QtGui> <QtWidgets>)
    endif()
endfunction()

# hadeck_test_precompile(<test> <widgets>): the test reuses the donor that fits it (widgets: whether
# its libraries bring in Qt Widgets, from hadeck_links_widgets in HadeckTest.cmake).
function(hadeck_test_precompile test widgets)
    if(NOT TARGET hadeck_test_pch)
        return()
    endif()
    set(_donor hadeck_test_pch)
    if(widgets AND TARGET hadeck_test_pch_widgets)
        set(_donor hadeck_test_pch_widgets)
    endif()
    target_precompile_headers(${test} REUSE_FROM ${_donor})
    # A header GCC refuses is parsed as text: slower, not wrong; say so without failing.
    target_compile_options(${test} PRIVATE -Wno-error=invalid-pch)
endfunction()
