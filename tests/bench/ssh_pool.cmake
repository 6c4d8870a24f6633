# 100 agents behind one sshd: time until the pool has them all online, and the
# console's RSS and CPU while idle with 100 SSH connections. Linux (real sshd).
if(UNIX AND TARGET hadeck_console_core)
    add_executable(ssh_pool_bench ${CMAKE_CURRENT_LIST_DIR}/ssh_pool_bench.cpp)
    # hadeck_console_testenv (real sshd and agents) comes from tests/console, added after this folder.
    target_link_libraries(ssh_pool_bench PRIVATE hadeck_console_testenv hadeck_console_core benchmark::benchmark
                                                 hadeck_warnings)
    target_compile_definitions(ssh_pool_bench PRIVATE HADECK_BINARY_DIR="${PROJECT_BINARY_DIR}")
    add_test(NAME ssh_pool_bench COMMAND ssh_pool_bench)
    set_tests_properties(ssh_pool_bench PROPERTIES LABELS bench TIMEOUT 900)
endif()
