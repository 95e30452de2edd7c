"""bpsa.oracle: certificate oracle nodes, the infringement monitor and the IPFS client.

- `bpsa.oracle.store`: the content store: documents by CID (IPFS files, as `ipfs add
  --cid-version 1` stores them) over the IPFS daemon's RPC API (`make ipfs`,
  `BPSA_IPFS_API`) or, without a daemon, on disk.
"""
