# The topology at 300 nodes (every layer, ~1,100 edges, 535 of them observed): layout, a full
# paint at fit-to-window and at 1:1, and a tick that changes only numbers (recolor and edges in place).
if(TARGET hadeck_ui) # hadeck_test_synthetic comes from tests/models, added later
    add_executable(topology_bench ${CMAKE_CURRENT_LIST_DIR}/topology_bench.cpp)
    target_include_directories(topology_bench PRIVATE ${PROJECT_SOURCE_DIR}/tests/gui)
    target_link_libraries(topology_bench PRIVATE hadeck_ui hadeck_test_synthetic benchmark::benchmark hadeck_warnings)
    add_test(NAME topology_bench COMMAND topology_bench --benchmark_min_time=0.01)
    set_tests_properties(topology_bench PROPERTIES LABELS bench TIMEOUT 900 ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
endif()
