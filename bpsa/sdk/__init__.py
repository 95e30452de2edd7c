"""The SDK users drive from `ape console`, the `ape run` scripts and the tests: typed
operations over the deployed contracts through ape, each simulated before it is sent.

- `alliance`: `Suite`, the deployment's entry point: members, council and congress
  proposals, and the pool's and the licence desk's SDKs.
- `pool`: `Pool`, one collection's pool (patents, certificates, ratings, BPC, royalties).
- `licensing`: `LicenceDesk`, BPR tiers, per-patent licences, device batches, claims.
- `reverts`: the contracts' revert reasons as exceptions, and the preflight.
- `deploy`, `collections`: deploying a suite and its sibling collections.
- `localchain`: a second local anvil for a sibling collection's chain.
"""
