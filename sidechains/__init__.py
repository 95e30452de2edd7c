"""bpsa.sidechains: the channel hub and its client, and the cross-chain swap coordinator.

Not built yet: the channel and swap issues fill this package (see sidechains/README.md).
"""
