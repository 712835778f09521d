# Upstream test vectors (copies of /work/shared/conformance and of
# CA_VPA_TEST_VECTORS.md parts A and B; ca_timing holds A10's derived
# checks, see README.md here): each file is one CTest test that runs `capsim
# conformance FILE.csv` and passes when every row passes (a FAIL row or a
# malformed file makes capsim exit non-zero).
foreach(vec hpa_group_pods hpa_replica_calc hpa_behavior hpa_controller
        ca_expanders ca_backoff ca_balance ca_similarity ca_utilization
        ca_eligibility ca_binpacking ca_timing
        vpa_histogram vpa_estimator vpa_oom vpa_priority vpa_update
        vpa_eviction vpa_limits)
  add_test(NAME conformance/${vec}
           COMMAND capsim conformance
                   ${CMAKE_SOURCE_DIR}/tests/conformance/${vec}.csv)
endforeach()
