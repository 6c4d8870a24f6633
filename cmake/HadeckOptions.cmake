# Compiler warnings and sanitizers shared by every HaDeck target.
add_library(hadeck_warnings INTERFACE)
if(MSVC)
    target_compile_options(hadeck_warnings INTERFACE /W4 /permissive-)
    if(HADECK_WERROR)
        target_compile_options(hadeck_warnings INTERFACE /WX)
    endif()
else()
    target_compile_options(hadeck_warnings INTERFACE -Wall -Wextra -Wpedantic -Wnon-virtual-dtor
        -Woverloaded-virtual -Wformat=2)
    # -Wshadow=local is GCC's spelling; clang (fuzz builds) rejects it under -Werror.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
        target_compile_options(hadeck_warnings INTERFACE -Wshadow=local)
        # GCC 12 at -O2 reports -Wrestrict inside libstdc++'s own std::string operator+ (a false
        # positive of its inliner, seen in keepalived_conf_parser.cpp): shown, not fatal, in the
        # optimised builds where it occurs.
        if(CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12 AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
            target_compile_options(hadeck_warnings INTERFACE $<$<NOT:$<CONFIG:Debug>>:-Wno-error=restrict>)
        endif()
    endif()
    if(HADECK_WERROR)
        target_compile_options(hadeck_warnings INTERFACE -Werror)
    endif()
endif()

# Qt hygiene, as KDE's ECM sets it: no implicit conversions between char* and QString or
# QUrl, no narrowing in connect(), QStringBuilder for '+'. Every console target links it.
add_library(hadeck_qt_hygiene INTERFACE)
target_compile_definitions(hadeck_qt_hygiene INTERFACE
    QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII QT_NO_URL_CAST_FROM_STRING
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT QT_USE_QSTRINGBUILDER)

if(HADECK_SANITIZE)
    # Tests skip their speed and memory bounds under the sanitizers (checked in the normal build).
    add_compile_definitions(HADECK_SANITIZED=1)
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
endif()

# The linker: the suite links some 240 programs, most against the whole console with its
# debug information. mold links one of the GUI tests in 3.6 s where the default linker takes
# 16.8 s (measured on the 2-core build machine), so it is used where it is installed.
# HADECK_LINKER=default keeps the toolchain's own.
set(HADECK_LINKER "auto" CACHE STRING "Linker: auto (mold when found), mold, or default")
set_property(CACHE HADECK_LINKER PROPERTY STRINGS auto mold default)
if(NOT MSVC AND NOT HADECK_LINKER STREQUAL "default")
    find_program(HADECK_MOLD_PROGRAM mold)
    if(HADECK_MOLD_PROGRAM)
        add_link_options(-fuse-ld=mold)
        message(STATUS "Linking with ${HADECK_MOLD_PROGRAM}")
    elseif(HADECK_LINKER STREQUAL "mold")
        message(FATAL_ERROR "HADECK_LINKER=mold, but mold is not installed (apt install mold)")
    endif()
endif()
