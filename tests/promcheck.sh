# Sourced by the suites that lint a scrape: promcheck FILE succeeds when
# `promtool check metrics` says nothing of FILE but the complaints
# cAdvisor's own families draw (README, "/metrics"): cadvisor_version_info's
# camelCase label names, container_memory_failcnt, a counter without
# _total, container_fs_inodes_total, a gauge with it,
# machine_dimm_count's suffix (on a machine with EDAC) and
# container_cpu_load_d_average_10s, whose "d" promtool takes for days.
# What promtool said is left in $T/promtool.out.
promcheck() {
	promtool check metrics <"$1" 2>&1 | grep -vxF \
	    -e "cadvisor_version_info label names should be written in 'snake_case' not 'camelCase'" \
	    -e 'container_memory_failcnt counter metrics should have "_total" suffix' \
	    -e 'container_fs_inodes_total non-counter metrics should not have "_total" suffix' \
	    -e 'machine_dimm_count non-histogram and non-summary metrics should not have "_count" suffix' \
	    -e 'container_cpu_load_d_average_10s metric names should not contain abbreviated units' \
	    >"$T/promtool.out"
	! [ -s "$T/promtool.out" ]
}
