"""bpsa.sidechains: the channel hub and its client, and the cross-chain swap coordinator.

Built so far: `state`, the hub's pure engine (state changes in, events out, a sanity
check after each transition). The hub's service, its client and the swap coordinator
come with the channel and swap issues (see sidechains/README.md).
"""
