# gdb commands for stepping through exit paths: `source scripts/sevemu.gdb`
# (scripts/debug does it for you).  They only read memory, never call
# into the process, so they work on a core file too.

python
import struct

import gdb


def _mem(addr, n):
    return bytes(gdb.selected_inferior().read_memory(addr, n))


def _u64(buf, off):
    return struct.unpack_from("<Q", buf, off)[0]


def _cpu():
    return gdb.parse_and_eval("cpu")


def _vmcb():
    vmcb = int(_cpu()["vmcb"])
    if vmcb == 0:
        raise gdb.GdbError("no VMCB: the vCPU has not run yet")
    return _mem(vmcb, 4096)


def _guest_ptr(gpa, n):
    """Host address of guest-physical [gpa, gpa + n), as the CPU maps it."""
    gm = _cpu()["gm"]
    for i in range(int(gm["gm_n"])):
        r = gm["gm_r"][i]
        lo, ln = int(r["gr_gpa"]), int(r["gr_len"])
        if lo <= gpa and gpa + n <= lo + ln:
            return int(r["gr_host"]) + gpa - lo
    return None


_GHCB_FIELDS = {
    0x0cb: "cpl", 0x0d0: "efer", 0x148: "cr4", 0x150: "cr3", 0x158: "cr0",
    0x160: "dr7", 0x168: "dr6", 0x170: "rflags", 0x178: "rip",
    0x1d8: "rsp", 0x1f8: "rax", 0x308: "rcx", 0x310: "rdx", 0x318: "rbx",
    0x328: "rbp", 0x330: "rsi", 0x338: "rdi", 0x390: "sw_exitcode",
    0x398: "sw_exitinfo1", 0x3a0: "sw_exitinfo2", 0x3a8: "sw_scratch",
    0x3e8: "xcr0",
}


class SevemuExit(gdb.Command):
    """Print the current #VMEXIT as the VMCB has it: number, code, exit
info, GHCB MSR."""

    def __init__(self):
        super().__init__("sevemu-exit", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        self.dont_repeat()
        v = _vmcb()
        gdb.write("exit %d: code 0x%x info1 0x%x info2 0x%x ghcb msr 0x%x\n"
                  % (int(_cpu()["exits"]), _u64(v, 0x70), _u64(v, 0x78),
                     _u64(v, 0x80), _u64(v, 0xa0)))


class SevemuGhcb(gdb.Command):
    """Dump the GHCB page the GHCB MSR names: exit code, exit info,
registers, valid bitmap and the fields it marks valid."""

    def __init__(self):
        super().__init__("sevemu-ghcb", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        self.dont_repeat()
        msr = _u64(_vmcb(), 0xa0)
        if msr == 0 or msr & 0xfff:
            gdb.write("the GHCB MSR (0x%x) does not name a GHCB page\n" % msr)
            return
        host = _guest_ptr(msr, 4096)
        if host is None:
            gdb.write("the GHCB at 0x%x is outside guest RAM\n" % msr)
            return
        g = _mem(host, 4096)
        gdb.write("sw_exitcode 0x%x exitinfo1 0x%x exitinfo2 0x%x "
                  "scratch 0x%x\n" % (_u64(g, 0x390), _u64(g, 0x398),
                                      _u64(g, 0x3a0), _u64(g, 0x3a8)))
        gdb.write("rax 0x%x rbx 0x%x rcx 0x%x rdx 0x%x\n"
                  % (_u64(g, 0x1f8), _u64(g, 0x318), _u64(g, 0x308),
                     _u64(g, 0x310)))
        lo, hi = _u64(g, 0x3f0), _u64(g, 0x3f8)
        bm = lo | hi << 64
        names = [_GHCB_FIELDS.get(b * 8, "0x%03x" % (b * 8))
                 for b in range(128) if bm >> b & 1]
        gdb.write("valid bitmap 0x%016x%016x: %s\n"
                  % (hi, lo, " ".join(names)))
        gdb.write("protocol version %d, usage %d\n"
                  % (struct.unpack_from("<H", g, 0xffa)[0],
                     struct.unpack_from("<I", g, 0xffc)[0]))


class SevemuRegs(gdb.Command):
    """Print the guest's registers as the CPU held them at the last
#VMEXIT.  The CPU keeps them when a debugger traces sevemu from the
start (scripts/debug) or when SEVEMU_EXIT_REGS=1 is set."""

    def __init__(self):
        super().__init__("sevemu-regs", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        self.dont_repeat()
        cpu = _cpu()
        if int(cpu["exit_regs_kept"]) == 0:
            raise gdb.GdbError("the CPU kept no registers: start sevemu "
                               "under gdb, or with SEVEMU_EXIT_REGS=1")
        r = cpu["exit_regs"]
        gdb.write("at exit %d:\n" % int(cpu["exits"]))
        for f in r.type.fields():
            gdb.write("%-7s 0x%016x\n" % (f.name, int(r[f.name])))


SevemuExit()
SevemuGhcb()
SevemuRegs()
end
