# The Logs tab's model: five nodes' query results merged in time order, and the follow's ticks.
if(TARGET hadeck_ui)
    add_executable(logs_bench ${CMAKE_CURRENT_LIST_DIR}/logs_bench.cpp)
    target_link_libraries(logs_bench PRIVATE hadeck_ui benchmark::benchmark hadeck_warnings)
    add_test(NAME logs_bench COMMAND logs_bench --benchmark_min_time=0.01)
    set_tests_properties(logs_bench PROPERTIES LABELS bench TIMEOUT 600 ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
endif()
