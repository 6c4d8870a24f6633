# hadeck_add_test(NAME <name> SOURCES <src...> LIBS <libs...> LABELS <labels...> [TIMEOUT s])
# One QtTest executable per unit, registered with ctest under the given labels.
function(hadeck_add_test)
    cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS;ENV" ${ARGN})
    add_executable(${T_NAME} ${T_SOURCES})
    target_link_libraries(${T_NAME} PRIVATE Qt6::Test hadeck_warnings ${T_LIBS})
    # tests/support's header-only helpers (fixture.h).
    target_include_directories(${T_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/tests/support)
    hadeck_test_precompile(${T_NAME} ${T_LIBS})
    target_compile_definitions(${T_NAME} PRIVATE
        HADECK_TEST_DATA="${PROJECT_SOURCE_DIR}/tests/data"
        HADECK_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
        HADECK_BINARY_DIR="${PROJECT_BINARY_DIR}")
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
