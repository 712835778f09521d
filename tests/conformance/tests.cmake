# Upstream HPA test vectors (copies of /work/shared/conformance, see
# README.md here): each file is one CTest test that runs
# `capsim conformance FILE.csv` and passes when every row passes.
foreach(vec hpa_group_pods hpa_replica_calc hpa_behavior hpa_controller)
  add_test(NAME conformance/${vec}
           COMMAND capsim conformance
                   ${CMAKE_SOURCE_DIR}/tests/conformance/${vec}.csv)
endforeach()
