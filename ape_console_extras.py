"""`ape console` in this project: the deployed suite at hand by name.

Names injected: Alliance, Council, Congress (ape contract instances), suite (the
typed SDK, `bpsa.suite.Suite`), and the codes: Kind, Status, Role, Vote,
ProposalState. They come from deployments/<network>.json. On a local chain, whose
state dies with the console, a missing or stale manifest means a fresh deployment
(three test accounts as council seats).
"""

from typing import Any


def ape_init_extras(chain: Any) -> dict[str, Any]:
    from bpsa import codes
    from bpsa.cli_support import load_suite
    from bpsa.deploy import Timing
    from bpsa.errors import ManifestError
    from scripts.deploy import deploy

    network = chain.provider.network.name
    try:
        suite = load_suite()
    except ManifestError as exc:
        if network != "local":
            print(f"bpsa: no suite loaded ({exc})")
            return {}
        deploy(None, (), Timing())  # on a local chain: TEST::0 deploys, TEST::0-2 sit
        suite = load_suite()
        print("bpsa: deployed a fresh suite on the local chain (council: TEST::0-2)")
    print("bpsa: Alliance, Council, Congress, suite, Kind, Status, Role, Vote, ProposalState")
    return {
        **suite.contracts,
        "suite": suite,
        "Kind": codes.Kind,
        "Status": codes.Status,
        "Role": codes.Role,
        "Vote": codes.Vote,
        "ProposalState": codes.ProposalState,
    }
