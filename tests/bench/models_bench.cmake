# ClusterModel + ServicesModel at 300 nodes and ~30,000 real-server rows, one tick a second.
if(TARGET hadeck_ui) # hadeck_test_synthetic comes from tests/models, added later
    add_executable(models_bench ${CMAKE_CURRENT_LIST_DIR}/models_bench.cpp)
    target_link_libraries(models_bench PRIVATE hadeck_ui hadeck_test_synthetic benchmark::benchmark hadeck_warnings)
    add_test(NAME models_bench COMMAND models_bench --benchmark_min_time=0.01)
    set_tests_properties(models_bench PROPERTIES LABELS bench TIMEOUT 900 ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
endif()
