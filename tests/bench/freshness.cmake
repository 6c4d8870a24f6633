# P1 freshness: a weight set with ipvsadm, and a VRRP transition, made on a lab director outside
# HaDeck until a console model fed by the agent's subscription shows it. Run by tests/bench/run.sh
# (./dev.sh bench) against the lab; prints JSON. A report: no figure fails it.
if(TARGET hadeck_console_model AND TARGET hadeck_console_core)
    add_executable(freshness_bench ${CMAKE_CURRENT_LIST_DIR}/freshness_bench.cpp)
    target_link_libraries(freshness_bench PRIVATE hadeck_console_model hadeck_console_core hadeck_warnings)
    add_test(NAME freshness_bench COMMAND freshness_bench --inventory /run/hadeck-lab/inventory.json --runs 20)
    set_tests_properties(freshness_bench PROPERTIES LABELS "bench;vm" TIMEOUT 900
        FIXTURES_REQUIRED hadeck_lab RESOURCE_LOCK hadeck_lab)
endif()
