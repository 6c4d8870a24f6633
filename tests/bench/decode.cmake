# The decode thread's share of a large cluster: one director's 30,000-row IPVS
# snapshot and 1 % deltas, through the generic JSON tree and through the fast
# reader, in the same run. No GUI library needed.
add_executable(decode_bench ${CMAKE_CURRENT_LIST_DIR}/decode_bench.cpp)
target_link_libraries(decode_bench PRIVATE hadeck_console_model hadeck_test_synthetic benchmark::benchmark hadeck_warnings)
add_test(NAME decode_bench COMMAND decode_bench --benchmark_min_time=0.01)
set_tests_properties(decode_bench PROPERTIES LABELS bench TIMEOUT 600)
