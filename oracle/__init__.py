"""bpsa.oracle: certificate oracle nodes, the infringement monitor and the IPFS client.

Not built yet: the oracle issue fills this package (see oracle/README.md).
"""
