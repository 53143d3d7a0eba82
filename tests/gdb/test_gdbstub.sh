#!/usr/bin/env bash
# The gdb stub, driven by the real gdb in batch mode: sevemu run --gdb 0
# GUEST, gdb connects to the port sevemu names, runs a command file, and
# each check compares one line gdb printed with the value the guest must
# show there (addresses come from the guest's own symbol table).
# Usage: test_gdbstub.sh SEVEMU GUEST_DIR [vmmcore|tree]
# Every process is bounded by timeout(1); nothing here can hang ctest.
set -uo pipefail
sevemu=$1
guests=$2
handler=${3:-vmmcore}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0

if ! command -v gdb >/dev/null; then
	echo "gdbstub: gdb is not installed (scripts/setup installs it)" >&2
	echo "gdbstub: 0 passed, 1 failed"
	exit 1
fi

sym() {	# sym GUEST NAME: the symbol's address, 0x-prefixed
	printf '0x%x' "0x$(nm "$guests/$1.elf" | awk -v n="$2" '$3 == n { print $1 }')"
}

# session NAME GUEST "SEVEMU OPTIONS" CMDS [INTERRUPT]
# Runs one gdb session; with INTERRUPT, gdb gets SIGINT (Ctrl-C) once
# the guest runs.  Leaves gdb's output in $work/NAME.gdb, sevemu's
# stderr and exit status in $work/NAME.err and $work/NAME.rc.
session() {
	local name=$1 guest=$2 opts=$3 cmds=$4 intr=${5:-} port="" i gpid
	rm -f "$work/ready"
	# shellcheck disable=SC2086
	timeout 120 "$sevemu" run "$guests/$guest.elf" --gdb 0 $opts \
	    >"$work/$name.out" 2>"$work/$name.err" &
	local spid=$!
	for i in $(seq 200); do
		port=$(sed -n 's/.*waiting on 127\.0\.0\.1:\([0-9]*\) .*/\1/p' \
		    "$work/$name.err")
		[ -n "$port" ] && break
		sleep 0.05
	done
	if [ -z "$port" ]; then
		echo "FAIL $name: sevemu named no port; its stderr:" >&2
		cat "$work/$name.err" >&2
		kill "$spid" 2>/dev/null
		fail=$((fail + 1))
		return
	fi
	{
		echo "set pagination off"
		echo "set confirm off"
		echo "set debuginfod enabled off"
		printf '%s\n' "$cmds" | sed "s/PORT/$port/g; s#READY#$work/ready#g"
	} >"$work/$name.cmds"
	# --foreground: timeout passes a signal to gdb once, not also to
	# its own process group (a second Ctrl-C makes gdb give up).
	timeout --foreground 90 gdb -q -batch -nx -x "$work/$name.cmds" \
	    "$guests/$guest.elf" >"$work/$name.gdb" 2>&1 </dev/null &
	gpid=$!
	if [ -n "$intr" ]; then
		for i in $(seq 200); do
			[ -f "$work/ready" ] && break
			sleep 0.05
		done
		sleep 0.5
		kill -INT "$gpid" 2>/dev/null
	fi
	wait "$gpid"
	wait "$spid"
	echo $? >"$work/$name.rc"
}

# expect NAME LINE: gdb printed exactly this line.
expect() {
	if grep -qxF -- "$2" "$work/$1.gdb"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $1: gdb did not print the line" >&2
		echo "    $2" >&2
		# What gdb printed, once per session.
		if [ ! -f "$work/$1.shown" ]; then
			echo "  gdb printed:" >&2
			sed 's/^/    /' "$work/$1.gdb" >&2
			touch "$work/$1.shown"
		fi
	fi
}

# expect_run NAME STATUS TEXT: sevemu exited so, saying TEXT on stderr.
expect_run() {
	if [ "$(cat "$work/$1.rc")" = "$2" ] && grep -qF -- "$3" "$work/$1.err"
	then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $1: sevemu exit status $(cat "$work/$1.rc"), not $2," \
		    "or no \"$3\"; its stderr:" >&2
		sed 's/^/    /' "$work/$1.err" >&2
	fi
}

# stopped NAME: with a tree's handler (VMM_TREE) that ended the run
# early, what lies past that point is untestable: says so, with the
# stop sevemu measured, and returns 0.  vmmcore's handler never does.
stopped() {
	local why
	[ "$handler" = tree ] || return 1
	why=$(grep -m1 'sevemu: error: vmm failed' "$work/$1.err") || return 1
	echo "UNTESTABLE $1: the end of the run; $why" >&2
	return 0
}

# 1. demo: breakpoints, steps, a watchpoint, VMGEXIT and the SEV-ES view.
start=$(sym demo _start)
cv=$(sym demo cpuid_value)
vmgexit=$(printf '0x%x' "0x$(objdump -d "$guests/demo.elf" |
    awk -F'\t' '$3 ~ /^vmgexit/ { sub(":", "", $1); print $1; exit }' |
    tr -d ' ')")
# The instruction after the guest's first store to vendor.
after_store=$(printf '0x%x' "0x$(objdump -d "$guests/demo.elf" |
    awk 'found { sub(":", "", $1); print $1; exit } /<vendor>$/ { found = 1 }')")
# The guest's second store to vendor: where `next` over the call lands.
store2=$(printf '0x%x' "0x$(objdump -d "$guests/demo.elf" |
    awk '/<vendor\+0x4>$/ { sub(":", "", $1); print $1; exit }')")
# After the guest's first read of the GHCB's RAX (an rwatch hit).
after_read=$(printf '0x%x' "0x$(objdump -d "$guests/demo.elf" |
    awk 'found { sub(":", "", $1); print $1; exit }
	/mov +0x1f8\(%r8\),%rax/ { found = 1 }' | tr -d ' ')")
gc=$(sym demo ghcb_cpuid)
ghcb=$(sym demo demo_ghcb)
session demo demo "" "target remote :PORT
printf \"start pc=%#lx\\n\", \$pc
break cpuid_value
continue
printf \"bp pc=%#lx rdi=%#lx rsi=%#lx\\n\", \$pc, \$rdi, \$rsi
set \$sp0 = \$rsp
stepi
printf \"step pc=%#lx sp moved %ld\\n\", \$pc, \$sp0 - \$rsp
delete
monitor catch vmgexit
continue
printf \"caught pc=%#lx\\n\", \$pc
monitor msr
stepi
printf \"after pc=%#lx\\n\", \$pc
monitor exit
monitor msr
watch *(unsigned int *)&vendor
continue
printf \"watch pc=%#lx vendor=%#x\\n\", \$pc, *(unsigned int *)&vendor
delete
next
next
next
printf \"next pc=%#lx eax=%#x\\n\", \$pc, \$eax
hbreak ghcb_cpuid
continue
printf \"hbreak pc=%#lx rdi=%#lx\\n\", \$pc, \$rdi
delete
monitor catch vmgexit
continue
monitor ghcb
rwatch *(unsigned long *)((char *)&demo_ghcb + 0x1f8)
continue
printf \"rwatch pc=%#lx same=%d\\n\", \$pc, \$rax == *(unsigned long *)((char *)&demo_ghcb + 0x1f8)
delete
continue"
expect demo "start pc=$start"
expect demo "Breakpoint 1, cpuid_value () at $(cd "$(dirname "$0")/../.." && pwd)/guests/demo.S:104"
expect demo "bp pc=$cv rdi=0 rsi=0x1"
expect demo "step pc=$(printf '%#x' $((cv + 1))) sp moved 8"
expect demo "sevemu: stopped before VMGEXIT at $vmgexit (GHCB MSR 0x40000004)"
expect demo "caught pc=$vmgexit"
expect demo "GHCB MSR 0x0000000040000004: MSR protocol CPUID (0x004), data 0x0000000040000"
expect demo "after pc=$(printf '%#x' $((vmgexit + 4)))"
expect demo "exit 1 at rip $vmgexit <ghcb_msr_vmgexit+0x11>: code 0x403 VMGEXIT"
expect demo "GHCB MSR 0x6874754140000005: MSR protocol CPUID (0x005), data 0x6874754140000"
expect demo "New value = 1752462657"
expect demo "watch pc=$after_store vendor=0x68747541"
expect demo "next pc=$store2 eax=0x69746e65"
expect demo "hbreak pc=$gc rdi=$ghcb"
expect demo "GHCB at GPA $ghcb: protocol version 1, usage 0"
expect demo "sw_exitcode 0x72 (CPUID) exitinfo1 0x0 exitinfo2 0x0 scratch 0x0"
expect demo "rax 0x8000001f rbx 0x0 rcx 0x0 rdx 0x0"
expect demo "valid bitmap 0x001c0002000000008000000000000000: rax rcx sw_exitcode sw_exitinfo1 sw_exitinfo2"
expect demo "rwatch pc=$after_read same=1"
expect demo "[Inferior 1 (Remote target) exited normally]"
# Stops, steps and watches leave the count of instructions as it is.
plain=$(timeout 60 "$sevemu" run "$guests/demo.elf" 2>&1 >/dev/null | tail -1)
expect_run demo 0 "$plain"
expect_run demo 0 "sevemu: halted: guest halted (8 exits,"

# 2. runaway: Ctrl-C stops a guest that never stops by itself.
spin=$(sym runaway spin)
session intr runaway "--budget 100000000000" "target remote :PORT
shell touch READY
continue
printf \"intr pc=%#lx same=%d\\n\", \$pc, \$rax == *(unsigned long *)&spin_count
kill" intr
expect intr "Program received signal SIGINT, Interrupt."
expect intr "intr pc=$spin same=1"
expect intr "[Inferior 1 (Remote target) killed]"
expect_run intr 1 "sevemu: shutdown: killed by the debugger at rip $spin"

# 3. locore32: 32-bit registers, a #VC caught, the switch to long mode.
start=$(sym locore32 _start)
vc32=$(sym locore32 vc32_handler)
le=$(sym locore32 long_entry)
session locore32 locore32 "--entry protected" "set architecture i386
target remote :PORT
printf \"start eip=%#x cs=%#x\\n\", \$eip, \$cs
monitor sys
monitor catch vc
continue
printf \"vc eip=%#x\\n\", \$eip
break long_entry
continue
disconnect
set architecture i386:x86-64
target remote :PORT
printf \"long rip=%#lx cs=%#x efer=%#lx\\n\", \$rip, \$cs, \$efer
stepi
printf \"step rip=%#lx\\n\", \$rip
delete
continue"
expect locore32 "start eip=$start cs=0x18"
expect locore32 "cr0  0x0000000000000031  cr2  0x0000000000000000"
expect locore32 "efer 0x0000000000000000"
expect locore32 "code 32-bit"
expect locore32 "vc eip=$vc32"
expect locore32 "sevemu: stopped at the #VC handler, $vc32, for exit code 0x72 (CPUID)"
expect locore32 "sevemu: the guest now runs 64-bit code; gdb has the 32-bit registers: \`disconnect\`, \`set architecture i386:x86-64\` and \`target remote :$(sed -n 's/.*waiting on 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$work/locore32.err")\` to get the 64-bit ones"
expect locore32 "long rip=$le cs=0x8 efer=0x500"
expect locore32 "step rip=$(printf '%#x' $((le + 5)))"
if ! stopped locore32; then
	expect locore32 "[Inferior 1 (Remote target) exited normally]"
	expect_run locore32 0 "sevemu: halted: guest halted"
fi

echo "gdbstub: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
