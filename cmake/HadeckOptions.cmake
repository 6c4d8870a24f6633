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
    endif()
    if(HADECK_WERROR)
        target_compile_options(hadeck_warnings INTERFACE -Werror)
    endif()
endif()

if(HADECK_SANITIZE)
    # Tests skip their speed and memory bounds under the sanitizers (checked in the normal build).
    add_compile_definitions(HADECK_SANITIZED=1)
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
endif()
