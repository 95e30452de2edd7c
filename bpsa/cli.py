"""`bpsa`: the suite's user commands that are not ape scripts (`bpsa swap ...`).

The hub (`bpsa-hub`) and the oracle nodes (`bpsa-oracle`) are long-running services
with their own commands; admin operations are `ape run admin ...`.
"""

from __future__ import annotations

import click

from bpsa.sidechains.swap_cli import swap


@click.group()
def main() -> None:
    """BPSA: the blockchain patent pool's user commands."""


main.add_command(swap)

if __name__ == "__main__":
    main()
