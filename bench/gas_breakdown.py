"""Where a benchmark's gas goes, opcode by opcode.

`python bench/gas_breakdown.py gas_licensing gas_exchange gas_certificates` runs each module's
`scenario()` (the same transactions `bench/run.py` measures) on one local anvil,
replays every measured transaction with `debug_traceTransaction` (anvil's struct
logger) and prints, per transaction: the intrinsic cost (21,000 + calldata), the gas
each call frame spent by contract (its own opcodes; a CALL's own cost, cold account
access included, counts in its caller), the refund, the opcodes that cost most, and
how many SSTORE (by kind: a zero slot set, a slot changed, a rewrite), SLOAD (cold and
warm), calls and logs it ran, and which contracts set zero slots (20,000 gas each).
`--json FILE` writes the same figures for a script.

Each step's cost is the gas left before it less the gas left before the next step of
the same frame; a call's own cost is what its caller lost across it less what the
callee spent; the refund is what the sum exceeds the receipt's gasUsed by.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench import gas_certificates, gas_exchange, gas_licensing  # noqa: E402

MODULES = {
    "gas_licensing": gas_licensing,
    "gas_exchange": gas_exchange,
    "gas_certificates": gas_certificates,
}
CALLS = {"CALL", "STATICCALL", "DELEGATECALL", "CALLCODE"}
CREATES = {"CREATE", "CREATE2"}


@dataclass
class Breakdown:
    """One transaction's gas, by frame (contract) and by opcode."""

    gas_used: int
    intrinsic: int = 0
    refund: int = 0
    by_contract: Counter[str] = field(default_factory=Counter)
    by_opcode: Counter[str] = field(default_factory=Counter)
    counts: Counter[str] = field(default_factory=Counter)
    sets_by_contract: Counter[str] = field(default_factory=Counter)  # zero slots made non-zero
    calls: list[tuple[int, str, str, int]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "gas_used": self.gas_used,
            "intrinsic": self.intrinsic,
            "refund": self.refund,
            "by_contract": dict(self.by_contract.most_common()),
            "by_opcode": dict(self.by_opcode.most_common()),
            "counts": dict(sorted(self.counts.items())),
            "sets_by_contract": dict(self.sets_by_contract.most_common()),
            "calls": [{"depth": d, "op": op, "to": to, "gas": g} for d, op, to, g in self.calls],
        }


def _sstore_kind(cost: int) -> str:
    """EIP-2929/3529 SSTORE costs: 20,000 sets a zero slot, 2,900 changes a set one,
    100 rewrites a slot this transaction already wrote (or writes the value already
    there); 2,100 more the first time the transaction touches the slot."""
    warm = cost - 2100 if cost in (22100, 5000, 2200) else cost
    kind = {20000: "set", 2900: "change", 100: "rewrite"}.get(warm, f"other({cost})")
    return f"SSTORE {kind}" + (" cold" if warm != cost else "")


def analyse(trace: dict[str, Any], receipt: Any, names: dict[str, str]) -> Breakdown:
    logs: list[dict[str, Any]] = trace["structLogs"]
    out = Breakdown(gas_used=int(receipt.gas_used))
    to = str(receipt.receiver).lower()
    # frames: the contract each depth runs, and per open call its gas before the call
    frame_of = {1: names.get(to, to)}
    pending: dict[int, tuple[int, str, str, int]] = {}  # depth -> gas, op, callee, row
    spent_at: dict[int, int] = defaultdict(int)  # gas spent in the frame open at a depth
    out.intrinsic = int(receipt.gas_limit) - int(logs[0]["gas"]) if logs else out.gas_used
    for i, step in enumerate(logs):
        op, depth, gas = step["op"], int(step["depth"]), int(step["gas"])
        nxt = logs[i + 1] if i + 1 < len(logs) else None
        if op in CALLS or op in CREATES:
            stack = step.get("stack") or []
            target = "?"
            if op in CALLS and len(stack) >= 2:
                target = "0x" + int(stack[-2], 16).to_bytes(32, "big")[-20:].hex()
            if nxt is not None and int(nxt["depth"]) == depth + 1:
                name = names.get(target, target)
                out.calls.append((depth, op, name, 0))  # its gas is filled in on return
                pending[depth] = (gas, op, name, len(out.calls) - 1)
                frame_of[depth + 1] = name
                spent_at[depth + 1] = 0
                out.counts[op] += 1
                continue
            # a call to an account with no code (or a precompile): no frame opens
            cost = gas - int(nxt["gas"]) if nxt is not None else int(step["gasCost"])
            out.counts[op] += 1
            _charge(out, frame_of[depth], op, cost, spent_at, depth)
            continue
        if nxt is not None and int(nxt["depth"]) == depth:
            cost = gas - int(nxt["gas"])
        else:
            cost = int(step.get("gasCost", 0))  # the frame's last step (RETURN, STOP, ...)
        _charge(out, frame_of[depth], op, cost, spent_at, depth)
        if op == "SSTORE":
            kind = _sstore_kind(cost)
            out.counts[kind] += 1
            if kind.startswith("SSTORE set"):
                out.sets_by_contract[frame_of[depth]] += 1
        elif op == "SLOAD":
            out.counts["SLOAD cold" if cost >= 2100 else "SLOAD warm"] += 1
        elif op.startswith("LOG"):
            out.counts[op] += 1
        if nxt is not None and int(nxt["depth"]) < depth:
            # back in the caller: the call's own cost is what the caller lost less the callee
            parent = int(nxt["depth"])
            before, call_op, callee, row = pending.pop(parent)
            child = spent_at[depth]
            own = before - int(nxt["gas"]) - child
            out.calls[row] = (parent, call_op, callee, child + own)
            _charge(out, frame_of[parent], call_op, own, spent_at, parent)
    traced = sum(out.by_contract.values())
    out.refund = out.intrinsic + traced - out.gas_used
    return out


def _charge(
    out: Breakdown, contract: str, op: str, cost: int, spent_at: dict[int, int], depth: int
) -> None:
    out.by_contract[contract] += cost
    out.by_opcode[op] += cost
    # what a called frame spent includes its callees': the cost counts in every open frame
    for d in range(2, depth + 1):
        spent_at[d] += cost


def report(name: str, b: Breakdown, top: int) -> str:
    lines = [f"## {name}: {b.gas_used:,} gas"]
    lines.append(f"intrinsic (21,000 + calldata) {b.intrinsic:,}; refund -{b.refund:,}")
    lines.append("by contract (its own opcodes, calls it makes included):")
    for contract, gas in b.by_contract.most_common():
        lines.append(f"  {contract:<14} {gas:>8,}")
    lines.append(f"top {top} opcodes:")
    for op, gas in b.by_opcode.most_common(top):
        lines.append(f"  {op:<14} {gas:>8,}")
    lines.append("counts: " + ", ".join(f"{k} {v}" for k, v in sorted(b.counts.items())))
    sets = ", ".join(f"{c} {n}" for c, n in b.sets_by_contract.most_common())
    lines.append(f"zero slots set, by contract: {sets or 'none'}")
    lines.append("calls (depth, op, callee, gas including its callees):")
    for depth, op, callee, gas in b.calls:
        lines.append(f"  {'  ' * depth}{op} {callee} {gas:,}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="+", choices=sorted(MODULES))
    parser.add_argument("--top", type=int, default=12, help="opcodes to list (default 12)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    from ape import chain, networks

    figures: dict[str, Any] = {}
    with networks.ethereum.local.use_provider("foundry"):
        for module in args.modules:
            ran = MODULES[module].scenario()
            names = {str(c.address).lower(): n for n, c in ran["contracts"].items()}
            for bench, receipt in ran["receipts"].items():
                trace = chain.provider.make_request(
                    "debug_traceTransaction",
                    [receipt.txn_hash, {"enableMemory": False, "disableStorage": True}],
                )
                b = analyse(trace, receipt, names)
                figures[bench] = b.as_json()
                print(report(bench, b, args.top), end="\n\n")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
