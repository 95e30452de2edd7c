"""`ape console` in this project: the deployed suite at hand by name.

Names injected: every deployed contract by manifest name (Alliance, Council,
Congress, Certificates, Fund, BPC, Royalties, PatentPool), suite (the typed SDK,
`bpsa.sdk.alliance.Suite`), pool (`bpsa.sdk.pool.Pool`, when the pool is deployed), certs
(`bpsa.core.certificates`), and the codes: Kind, Status, Role, Vote, ProposalState,
PatentStatus, Source, CertStatus. They come from deployments/<network>.json. On a local chain, whose
state dies with the console, a missing or stale manifest means a fresh deployment
(three test accounts as council seats).
"""

from typing import Any


def ape_init_extras(chain: Any) -> dict[str, Any]:
    from bpsa.cli_support import load_suite
    from bpsa.core import codes
    from bpsa.core.errors import ManifestError
    from bpsa.sdk.deploy import Timing
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
    from bpsa.core import certificates

    extras: dict[str, Any] = {}
    if "PatentPool" in suite.contracts:
        extras["pool"] = suite.pool
    names = ", ".join(suite.contracts)
    print(f"bpsa: {names}, suite, pool, certs and the codes (Kind, Role, PatentStatus ...)")
    return {
        **extras,
        "certs": certificates,
        "PatentStatus": codes.PatentStatus,
        "Source": codes.Source,
        "CertStatus": codes.CertStatus,
        **suite.contracts,
        "suite": suite,
        "Kind": codes.Kind,
        "Status": codes.Status,
        "Role": codes.Role,
        "Vote": codes.Vote,
        "ProposalState": codes.ProposalState,
    }
