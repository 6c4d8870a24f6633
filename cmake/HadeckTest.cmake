# Unit tests in the sanitizer build only (dev.sh test): the suite builds every unit test twice
# otherwise, once plain and once with ASan and UBSan, and runs both. With this on, a test labelled
# only `unit` that the sanitizer build also has (it does not need Qt Widgets, which that build
# leaves out) is neither built by `all` nor registered here; one that checks speed or memory
# bounds, which the sanitizers skip, says CHECKS_BOUNDS and stays.
option(HADECK_UNIT_TESTS_SANITIZED_ONLY "Leave out the unit tests that the sanitizer build runs" OFF)

# hadeck_links_widgets(<out> <libs...>): whether the libraries bring in Qt6::Widgets, followed
# through the project's own targets.
function(hadeck_links_widgets out)
    set(_todo ${ARGN})
    set(_seen)
    set(_r FALSE)
    while(_todo)
        list(POP_FRONT _todo _l)
        if(_l MATCHES "^\\$<LINK_ONLY:(.+)>$")
            set(_l ${CMAKE_MATCH_1})
        endif()
        if(_l STREQUAL "Qt6::Widgets" OR _l STREQUAL "Qt::Widgets")
            set(_r TRUE)
            break()
        endif()
        if(NOT TARGET ${_l} OR _l IN_LIST _seen)
            continue()
        endif()
        list(APPEND _seen ${_l})
        get_target_property(_imported ${_l} IMPORTED)
        if(_imported)
            continue()
        endif()
        get_target_property(_a ${_l} LINK_LIBRARIES)
        get_target_property(_b ${_l} INTERFACE_LINK_LIBRARIES)
        foreach(_x IN LISTS _a _b)
            if(_x AND NOT _x MATCHES "NOTFOUND$")
                list(APPEND _todo ${_x})
            endif()
        endforeach()
    endwhile()
    set(${out} ${_r} PARENT_SCOPE)
endfunction()

# hadeck_add_test(NAME <name> SOURCES <src...> LIBS <libs...> LABELS <labels...> [TIMEOUT s]
#                 [CHECKS_BOUNDS])
# One QtTest executable per unit, registered with ctest under the given labels.
function(hadeck_add_test)
    cmake_parse_arguments(T "CHECKS_BOUNDS" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS;ENV" ${ARGN})
    hadeck_links_widgets(_widgets ${T_LIBS})
    set(_elsewhere FALSE)
    if(HADECK_UNIT_TESTS_SANITIZED_ONLY AND NOT T_CHECKS_BOUNDS AND T_LABELS STREQUAL "unit" AND NOT _widgets)
        set(_elsewhere TRUE)
    endif()
    add_executable(${T_NAME} ${T_SOURCES})
    if(_elsewhere)
        # The target stays (the folders' CMakeLists refer to it), out of `all` and out of ctest.
        set_target_properties(${T_NAME} PROPERTIES EXCLUDE_FROM_ALL ON)
    endif()
    target_link_libraries(${T_NAME} PRIVATE Qt6::Test hadeck_warnings ${T_LIBS})
    # tests/support's header-only helpers (fixture.h).
    target_include_directories(${T_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/tests/support)
    hadeck_test_precompile(${T_NAME} ${_widgets})
    target_compile_definitions(${T_NAME} PRIVATE
        HADECK_TEST_DATA="${PROJECT_SOURCE_DIR}/tests/data"
        HADECK_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
        HADECK_BINARY_DIR="${PROJECT_BINARY_DIR}")
    if(_elsewhere)
        return()
    endif()
    add_test(NAME ${T_NAME} COMMAND ${T_NAME})
    if(NOT T_TIMEOUT)
        set(T_TIMEOUT 300)
    endif()
    set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;${T_ENV}")
    if("lab" IN_LIST T_LABELS OR "vm" IN_LIST T_LABELS)
        set_tests_properties(${T_NAME} PROPERTIES FIXTURES_REQUIRED hadeck_lab RESOURCE_LOCK hadeck_lab)
        # tests/support's lab helpers run the lab script that HADECK_LAB names.
        set_property(TEST ${T_NAME} APPEND PROPERTY ENVIRONMENT
            "HADECK_LAB=${PROJECT_SOURCE_DIR}/tests/lab/lab" "HADECK_BUILD_DIR=${PROJECT_BINARY_DIR}")
    endif()
endfunction()
