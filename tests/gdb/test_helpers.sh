#!/usr/bin/env bash
# scripts/sevemu.gdb on the host side: gdb on sevemu stops in
# svm_handle_vmgexit at demo.elf's exit 7 (the GHCB CPUID request),
# the helpers print the exit, the GHCB and the guest's registers, and
# with `core`, they print the same from a core file of that moment,
# where nothing can be called.
# Usage: test_helpers.sh SEVEMU GUEST_DIR SEVEMU.GDB live|core
set -uo pipefail
sevemu=$1
guests=$2
script=$3
mode=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0

if ! command -v gdb >/dev/null; then
	echo "helpers: gdb is not installed (scripts/setup installs it)" >&2
	echo "helpers: 0 passed, 1 failed"
	exit 1
fi

expect() {	# expect WHERE LINE
	if grep -qxF -- "$2" "$work/$1"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $1: gdb did not print the line" >&2
		echo "    $2" >&2
		echo "  gdb printed:" >&2
		sed 's/^/    /' "$work/$1" >&2
	fi
}

ghcb=$(printf '0x%x' "0x$(nm "$guests/demo.elf" | awk '$3 == "demo_ghcb" { print $1 }')")
vmgexit=$(printf '0x%016x' "0x$(objdump -d "$guests/demo.elf" |
    awk -F'\t' '$3 ~ /^vmgexit/ { sub(":", "", $1); print $1; exit }' |
    tr -d ' ')")
core=()
where=(live)
if [ "$mode" = core ]; then
	core=(-ex "generate-core-file $work/core")
	where+=(core.out)
fi
timeout --foreground 120 gdb -q -batch -nx -x "$script" \
    -ex "set debuginfod enabled off" \
    -ex "break svm_handle_vmgexit if cpu.exits == 7" -ex run \
    -ex sevemu-exit -ex sevemu-ghcb -ex sevemu-regs "${core[@]}" -ex kill \
    --args "$sevemu" run "$guests/demo.elf" >"$work/live" 2>&1 </dev/null
if [ "$mode" = core ]; then
	timeout 120 gdb -q -batch -nx -x "$script" \
	    -ex "set debuginfod enabled off" \
	    -ex sevemu-exit -ex sevemu-ghcb -ex sevemu-regs \
	    "$sevemu" "$work/core" >"$work/core.out" 2>&1 </dev/null
fi
for w in "${where[@]}"; do
	expect $w "exit 7: code 0x403 info1 0x0 info2 0x0 ghcb msr $ghcb"
	expect $w "sw_exitcode 0x72 exitinfo1 0x0 exitinfo2 0x0 scratch 0x0"
	expect $w "rax 0x8000001f rbx 0x0 rcx 0x0 rdx 0x0"
	expect $w "valid bitmap 0x001c0002000000008000000000000000: rax rcx sw_exitcode sw_exitinfo1 sw_exitinfo2"
	expect $w "protocol version 1, usage 0"
	expect $w "at exit 7:"
	expect $w "rip     $vmgexit"
	expect $w "rax     $(printf '0x%016x' "$ghcb")"
	expect $w "rcx     0x00000000c0010130"
done
echo "helpers: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
