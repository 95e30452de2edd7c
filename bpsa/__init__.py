"""BPSA: the shared Python code of the patent pool.

- `bpsa.codes`: member kinds, statuses and roles, mirroring `contracts/codes.vy`.
- `bpsa.manifest`: the deployment manifest (`deployments/<network>.json`).
- `bpsa.eip712`: EIP-712 typed data, for every signed message of the suite.
- `bpsa.errors`: the exception tree callers map to clear messages.
- `bpsa.suite`: a typed SDK over the deployed contracts (needs ape).
- `bpsa.oracle`, `bpsa.sidechains`, `bpsa.api`: the off-chain components.
"""

__version__ = "0.1.0"
