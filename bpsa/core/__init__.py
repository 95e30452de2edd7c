"""The bottom layer: what every part of the suite shares, with no ape and no service.

- `errors`: the exception tree callers map to clear messages.
- `codes`: member kinds, statuses and roles, mirroring `contracts/codes.vy`.
- `units`: token amounts, dates and durations, for people and from people.
- `eip712`: every EIP-712 structure the suite signs, defined once.
- `manifest`: the deployment manifest (`deployments/<network>.json`).
- `abis`: the deployables' ABIs, packaged (`abis.json`).
- `chain`: the chain gateway (web3.py) of every off-chain process; `accounts`: its keys.
- `cid`: IPFS content identifiers, computed locally.
- Message formats, pure: `certificates` (oracle certificates), `channels` (balance proofs,
  receipts), `claims` and `devices` (licence claims, device batches), `qr` (QR payloads),
  `swaps` (swap intents and legs).
"""
