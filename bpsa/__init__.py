"""BPSA: the Python side of the patent pool, one distribution in layers.

- `bpsa.core`: what every part shares (errors, codes, units, EIP-712 types, the
  deployment manifest, the packaged ABIs, the chain gateway, message formats); no ape.
- `bpsa.oracle` (folder `oracle/`), `bpsa.sidechains` (folder `sidechains/`): the oracle
  nodes, and the channel hub and swap coordinator; independent of each other.
- `bpsa.sdk`: the typed SDK over the deployed contracts, through ape (console, scripts,
  tests).
- `bpsa.api` (folder `frontend-api/`): the indexer and the query API.
- `bpsa.cli`, `bpsa.cli_support`: the commands.

Each layer imports only the ones below it (`make lint` checks it: tools/layers.py).
"""

__version__ = "0.1.0"
