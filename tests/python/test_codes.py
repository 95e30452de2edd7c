"""bpsa.core.codes mirrors contracts/codes.vy and Governance.vy; these tests keep them in step."""

import re
from pathlib import Path

import pytest

from bpsa.core import codes
from bpsa.core.errors import InputError

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"


def constants(source: str, prefix: str) -> dict[str, int]:
    pattern = re.compile(rf"^{prefix}_([A-Z_]+): constant\(\w+\) = ([0-9_]+)$", re.M)
    return {name: int(value.replace("_", "")) for name, value in pattern.findall(source)}


def test_kinds__match_codes_vy():
    found = constants((CONTRACTS / "codes.vy").read_text(), "KIND")
    found.pop("MAX")
    assert found == {k.name: k.value for k in codes.Kind}


def test_statuses__match_codes_vy():
    found = constants((CONTRACTS / "codes.vy").read_text(), "STATUS")
    assert found == {s.name: s.value for s in codes.Status}


def test_roles__match_codes_vy():
    found = constants((CONTRACTS / "codes.vy").read_text(), "ROLE")
    assert found.pop("ALL") == sum(r.value for r in codes.Role)
    assert found == {r.name: r.value for r in codes.Role if r.name}


def test_proposal_states_and_votes__match_governance_vy():
    source = (CONTRACTS / "Governance.vy").read_text()
    assert constants(source, "STATE") == {s.name: s.value for s in codes.ProposalState}
    assert constants(source, "VOTE") == {v.name: v.value for v in codes.Vote}


@pytest.mark.parametrize(
    ("text", "kind"),
    [("start-up", codes.Kind.START_UP), ("Large Enterprise", codes.Kind.LARGE_ENTERPRISE)],
)
def test_parse_kind__known_names__parse(text, kind):
    assert codes.parse_kind(text) == kind


def test_parse_kind__unknown__names_the_choices():
    with pytest.raises(InputError, match=r"unknown member kind 'startup'.*start-up"):
        codes.parse_kind("startup")


def test_parse_role__unknown__names_the_choices():
    with pytest.raises(InputError, match=r"unknown role 'admin'.*trusteeship-centre"):
        codes.parse_role("admin")


def test_role_names__bits__lowest_first():
    assert codes.role_names(0b1000_0101) == ["provider", "trusteeship-centre", "oracle"]
    assert codes.role_names(0) == []


@pytest.mark.parametrize(
    ("prefix", "enum", "drop"),
    [
        ("PATENT", codes.PatentStatus, ()),
        ("SOURCE", codes.Source, ("MAX",)),
        ("CERT", codes.CertStatus, ("STATUS_MAX",)),
        ("REMOVAL", codes.Removal, ("MAX",)),
        ("LAPSE", codes.Lapse, ()),
        ("CASE", codes.CaseStatus, ()),
    ],
)
def test_pool_codes__match_codes_vy(prefix, enum, drop):
    found = constants((CONTRACTS / "codes.vy").read_text(), prefix)
    for name in drop:
        found.pop(name)
    assert found == {m.name: m.value for m in enum}


def test_parse_cert_status__revoked__cannot_be_attested():
    with pytest.raises(InputError, match="cannot be attested"):
        codes.parse_cert_status("revoked")


def test_mandate_codes__match_codes_vy():
    text = (CONTRACTS / "codes.vy").read_text()
    ends = constants(text, "MANDATE_ENDED")
    states = {k: v for k, v in constants(text, "MANDATE").items() if not k.startswith("ENDED_")}
    assert states == {m.name: m.value for m in codes.MandateState}
    assert ends == {m.name: m.value for m in codes.MandateEnd}
