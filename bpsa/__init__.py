"""BPSA: the shared Python code of the patent pool.

- `bpsa.codes`: member kinds, statuses and roles, mirroring `contracts/codes.vy`.
- `bpsa.manifest`: the deployment manifest (`deployments/<network>.json`).
- `bpsa.eip712`: every EIP-712 structure the suite signs, defined once (type string,
  typehash, struct hash, digest), with signing and recovery.
- `bpsa.errors`: the exception tree callers map to clear messages.
- `bpsa.suite`: a typed SDK over the deployed contracts (needs ape).
- `bpsa.oracle`, `bpsa.sidechains`, `bpsa.api`: the off-chain components.
"""

__version__ = "0.1.0"
