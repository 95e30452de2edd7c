import json

import pytest

from bpsa import manifest
from bpsa.errors import ManifestError

ADDRESS = "0x5FbDB2315678afecb367f032d93F642f64180aa3"


def sample() -> manifest.Manifest:
    return manifest.Manifest(
        network="local",
        ecosystem="ethereum",
        chain_id=31337,
        deployer=ADDRESS,
        contracts={"Alliance": manifest.Deployed(ADDRESS, 2)},
    )


def test_save_then_load__round_trips(tmp_path):
    path = manifest.save(sample(), tmp_path)
    assert path == tmp_path / "local.json"
    assert manifest.load("local", tmp_path) == sample()
    assert not list(tmp_path.glob("*.tmp"))


def test_load__missing_file__says_deploy_first(tmp_path):
    with pytest.raises(ManifestError, match=r"no deployment manifest.*deploy first"):
        manifest.load("sepolia", tmp_path)


def test_load__bad_json__names_the_file(tmp_path):
    (tmp_path / "local.json").write_text("{not json")
    with pytest.raises(ManifestError, match=r"local\.json: not valid JSON"):
        manifest.load("local", tmp_path)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("chain_id"), "field 'chain_id' must be a int"),
        (lambda d: d.update(chain_id=True), "field 'chain_id' must be a int"),
        (lambda d: d["contracts"]["Alliance"].update(address="0x12"), "Alliance.address"),
        (lambda d: d["contracts"]["Alliance"].update(block=-1), "Alliance.block"),
        (lambda d: d["contracts"].update(Council=[1]), "contracts.Council must be an object"),
    ],
)
def test_from_json__malformed__names_the_field(mutate, message):
    data = json.loads(json.dumps(sample().to_json()))
    mutate(data)
    with pytest.raises(ManifestError, match=message):
        manifest.Manifest.from_json(data)


def test_address__unknown_contract__lists_known():
    with pytest.raises(ManifestError, match=r"no contract 'Pool'.*known: Alliance"):
        sample().address("Pool")


def test_manifest_path__network_with_slash__rejected(tmp_path):
    with pytest.raises(ManifestError, match="not a plain name"):
        manifest.manifest_path("../etc", tmp_path)
