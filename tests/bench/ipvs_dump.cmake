# Full IPVS dump of 1000 services x 10 real servers: the agent's netlink reader against
# `ipvsadm -Ln` (and `-Ln --stats --exact`), measured in the same run on a director of the
# lab (the host kernel may have no IPVS: it runs in the VM through `lab exec dir1`).
# Results: ${PROJECT_BINARY_DIR}/ipvs_dump_bench.json (Google Benchmark JSON).
if(TARGET hadeck_agent_probes)
    find_package(PkgConfig REQUIRED)
    pkg_check_modules(HADECK_BENCH_LIBNL REQUIRED IMPORTED_TARGET libnl-3.0 libnl-genl-3.0)
    add_executable(ipvs_dump_bench ${CMAKE_CURRENT_LIST_DIR}/ipvs_dump_bench.cpp)
    target_link_libraries(ipvs_dump_bench PRIVATE hadeck_agent_probes PkgConfig::HADECK_BENCH_LIBNL
                                                  benchmark::benchmark hadeck_warnings)
    set(_ipvs_bench_json ${PROJECT_BINARY_DIR}/ipvs_dump_bench.json)
    # The VM sees the host's root read-only: the JSON comes back on stdout and is written here.
    # It also caches that root: a copy named after the build's mtime is never stale to it.
    add_test(NAME ipvs_dump_bench
        COMMAND bash -c "set -o pipefail; b=\"$1.vm-$(stat -c %Y \"$1\")\"; [ -e \"$b\" ] || cp \"$1\" \"$b\" || exit 1; \"$0\" exec dir1 \"$b\" --benchmark_format=json --benchmark_repetitions=3 --benchmark_min_time=0.01 --benchmark_report_aggregates_only=true >\"$2.tmp\" && mv \"$2.tmp\" \"$2\" && jq -r '.benchmarks[] | select(.aggregate_name == \"median\" or .aggregate_name == null) | \"\\(.name): \\(.real_time|floor) ms\" + (if .ratio_ipvsadm_Ln_over_agent then \" ratio -Ln/agent \\(.ratio_ipvsadm_Ln_over_agent) ratio -Ln --stats/agent \\(.ratio_ipvsadm_stats_over_agent) agent RSS \\(.agent_rss_before_kb) -> \\(.agent_rss_with_10k_dests_kb) kB\" else \"\" end)' \"$2\""
                ${PROJECT_SOURCE_DIR}/tests/lab/lab $<TARGET_FILE:ipvs_dump_bench> ${_ipvs_bench_json})
    set_tests_properties(ipvs_dump_bench PROPERTIES LABELS "bench;vm" TIMEOUT 900
        ENVIRONMENT "HADECK_BUILD_DIR=${PROJECT_BINARY_DIR}"
        FIXTURES_REQUIRED hadeck_lab RESOURCE_LOCK hadeck_lab)
endif()
