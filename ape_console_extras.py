"""`ape console` in this project: the deployed suite at hand by name.

Names injected: Alliance, Council, Congress (ape contract instances), suite (the
typed SDK, `bpsa.suite.Suite`), and the codes: Kind, Status, Role, Vote,
ProposalState. They come from deployments/<network>.json. On a local chain, whose
state dies with the console, a missing or stale manifest means a fresh deployment
(three test accounts as council seats).
"""

from typing import Any


def ape_init_extras(chain: Any, project: Any) -> dict[str, Any]:
    from bpsa import codes, manifest
    from bpsa.deploy import Timing, deploy_suite, manifest_for
    from bpsa.errors import ManifestError
    from bpsa.suite import Suite

    network = chain.provider.network.name
    try:
        suite = Suite.load(manifest.load(network), project, chain)
    except ManifestError as exc:
        if network != "local":
            print(f"bpsa: no suite loaded ({exc})")
            return {}
        from ape import accounts

        seats = accounts.test_accounts[:3]
        contracts = deploy_suite(project, seats[0], [s.address for s in seats], Timing())
        manifest.save(manifest_for(chain, contracts, str(seats[0].address)))
        suite = Suite.load(manifest.load(network), project, chain)
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
