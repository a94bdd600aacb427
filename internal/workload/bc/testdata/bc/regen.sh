#!/bin/sh
# Regenerates the golden files from GNU bc (1.07.1 was used). Tests never
# run this: CI has no bc. Each NAME.bc becomes NAME.golden (stdout) and
# NAME.stderr (stderr, with bc's bytecode addresses written as adr=0, since
# the simulator has no bytecode).
set -eu
cd "$(dirname "$0")"
for f in *.bc; do
	n=${f%.bc}
	bc -l <"$f" >"$n.golden" 2>"$n.stderr.tmp" || true
	sed -E 's/adr=[0-9]+/adr=0/' "$n.stderr.tmp" >"$n.stderr"
	rm -f "$n.stderr.tmp"
done
