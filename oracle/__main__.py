"""`python -m bpsa.oracle ...`: the same commands as `bpsa-oracle`."""

from bpsa.oracle.cli import main

main()
