"""Issue 15, review of the infringement monitor (new findings), against anvil and the
market of test_monitor.py (tests/oracle/monitor_market.py):

- it filed twice: the log was its only memory of a filing, so after a lost log (or a crash
  between the filing and the log) and a case closed since, the same observation filed a
  second case and posted a second bond;
- it acted on verdicts and filings a reorganisation could undo: an observation was marked
  done at once, so a filing the chain dropped was never made again;
- it never named the accused, even a seller the alliance knows by its vetted identity.
"""

from __future__ import annotations

from typing import Any

from bpsa.core.accounts import dev_account
from bpsa.oracle.monitor import Monitor, read_observations
from tests.fixtures.suite import IDENTITY
from tests.oracle.monitor_market import POOLED, read_observations_from


def _counterfeit(observations_file: Any) -> Any:
    return next(o for o in read_observations(str(observations_file)) if o.id == "scan-2")


def test_process__log_lost_and_the_case_closed_since__files_no_second_case(
    chain, watcher, market_chain, evidence_store, observations_file, infringements, provider,
    tmp_path,
):  # fmt: skip
    counterfeit = _counterfeit(observations_file)
    (case,) = watcher.process([counterfeit])[0].cases
    infringements.decline(case, sender=provider)  # closed: the use has no open case now

    restarted = Monitor(
        market_chain, evidence_store, dev_account(10), tmp_path / "lost.sqlite", chain.provider.uri
    )
    (finding,) = restarted.process([counterfeit])

    assert finding.cases == [case]
    assert infringements.case_count() == 1


def test_process__filing_undone_by_a_reorganisation__filed_again_before_it_counts(
    chain, market_chain, evidence_store, observations_file, infringements, tmp_path
):
    counterfeit = _counterfeit(observations_file)
    careful = Monitor(
        market_chain,
        evidence_store,
        dev_account(10),
        tmp_path / "log.sqlite",
        chain.provider.uri,
        confirmations=2,
    )
    assert careful.process([counterfeit]) == []  # the verdict waits two blocks
    assert infringements.case_count() == 0
    chain.mine(2)
    before_filing = chain.snapshot()
    assert careful.process([counterfeit]) == []  # filed, but not yet two blocks deep
    assert infringements.case_count() == 1

    chain.restore(before_filing)  # a reorganisation drops the filing
    assert infringements.case_count() == 0
    assert careful.process([counterfeit]) == []  # filed again
    chain.mine(2)
    (finding,) = careful.process([counterfeit])

    assert finding.cases == [1]
    assert infringements.case_count() == 1
    assert careful.process([counterfeit]) == []  # and never again


def test_process__unlicensed_seller_is_a_vetted_member__case_names_it_by_its_identity(
    watcher, infringements, enterprise
):
    advert = {
        "id": "listing-9",
        "kind": "listing",
        "seller": "Big Phones plc",
        "seller_address": enterprise.address,
        "product": "BP-1",
        "patents": [POOLED],
    }

    (finding,) = watcher.process(read_observations_from([advert]))

    record = infringements.cases(finding.cases[0])
    assert record.accused == enterprise.address
    assert bytes(record.infringer) == IDENTITY  # its identity record, not its name
