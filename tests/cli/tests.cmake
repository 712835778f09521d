# The recipes for sweeps beyond one machine (docs/recipes/), run locally:
# N shards through each recipe, merged, equal the whole sweep byte for byte.
add_test(NAME cli/recipes
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/cli/recipes.sh)
set_tests_properties(cli/recipes PROPERTIES ENVIRONMENT "${CAPSIM_TEST_ENV}")
