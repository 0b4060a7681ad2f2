"""The steady-state load test of learners: the system under load (world), the
simulated learner (learner, pages), the load generator run in a process of its
own (generator) and CPU accounting (cpu). tests/perf/bench_load.py runs the full
test, tests/perf/test_load_smoke.py a small one in the suite."""
