# Turns `go test -bench` output into an aligned table: package, benchmark, iterations, time/op,
# B/op, allocs/op and any custom metrics (b.ReportMetric), one row per benchmark result.

function human(ns) {
	if (ns >= 1e9) return sprintf("%.2fs", ns / 1e9)
	if (ns >= 1e6) return sprintf("%.2fms", ns / 1e6)
	if (ns >= 1e3) return sprintf("%.2fus", ns / 1e3)
	return sprintf("%.1fns", ns)
}

function add(row, col, value) {
	cell[row, col] = value
	if (length(value) > width[col]) width[col] = length(value)
}

BEGIN {
	rows = 0
	split("package benchmark iterations time/op B/op allocs/op metrics", head, " ")
	for (c = 1; c <= 7; c++) add(0, c, head[c])
}

/^pkg: / {
	pkg = $2
	sub(/^github\.com\/certledger\/certledger\/?/, "", pkg)
	if (pkg == "") pkg = "."
}

/^Benchmark[^ \t]*[ \t]+[0-9]+[ \t]/ {
	rows++
	name = $1
	sub(/^Benchmark/, "", name)
	time = ""; bytes = ""; allocs = ""; extra = ""
	for (i = 3; i < NF; i += 2) {
		if ($(i + 1) == "ns/op") time = human($i)
		else if ($(i + 1) == "B/op") bytes = $i
		else if ($(i + 1) == "allocs/op") allocs = $i
		else extra = extra (extra == "" ? "" : ", ") $i " " $(i + 1)
	}
	add(rows, 1, pkg); add(rows, 2, name); add(rows, 3, $2)
	add(rows, 4, time); add(rows, 5, bytes); add(rows, 6, allocs); add(rows, 7, extra)
}

END {
	if (rows == 0) {
		print "(no benchmark results)"
		exit
	}
	for (r = 0; r <= rows; r++) {
		line = ""
		for (c = 1; c <= 7; c++) {
			# Text columns align left, numbers right.
			fmt = (c <= 2 || c == 7) ? "%-" width[c] "s" : "%" width[c] "s"
			line = line (c > 1 ? "  " : "") sprintf(fmt, cell[r, c])
		}
		sub(/ +$/, "", line)
		print line
		if (r == 0) {
			rule = ""
			for (c = 1; c <= 7; c++) {
				dashes = sprintf("%" width[c] "s", "")
				gsub(/ /, "-", dashes)
				rule = rule (c > 1 ? "  " : "") dashes
			}
			print rule
		}
	}
}
