import json

import pytest

from bpsa.core import manifest
from bpsa.core.errors import ManifestError

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
        (lambda d: d.update(collection="apc"), "collection must be a token symbol"),
        (lambda d: d.update(collections=[]), "collections must be an object"),
        (lambda d: d["collections"].update(apc={}), "collections.apc: the key must be"),
        (lambda d: d["collections"].update(APC=1), "collections.APC must be an object"),
        (lambda d: d["collections"].update(APC={"network": "a/b", "chain_id": 2}), "network"),
        (lambda d: d["collections"].update(APC={"network": "s", "chain_id": 0}), "chain_id"),
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


def sibling_pair(tmp_path):
    """A BPC manifest on chain 31337 and an APC manifest on chain 31338, linked."""
    apc = manifest.Manifest("sibling", "ethereum", 31338, ADDRESS, {}, collection="APC")
    bpc = sample().with_sibling("APC", "sibling", 31338)
    manifest.save(apc.with_sibling("BPC", "local", 31337), tmp_path)
    manifest.save(bpc, tmp_path)
    return bpc


def test_with_sibling__saved_and_loaded__the_sibling_is_found(tmp_path):
    bpc = manifest.load(sibling_pair(tmp_path).network, tmp_path)

    apc = bpc.sibling("APC", tmp_path)

    assert (apc.collection, apc.chain_id) == ("APC", 31338)
    assert apc.sibling("BPC", tmp_path) == bpc


def test_from_json__written_before_collections__holds_bpc_alone():
    data = sample().to_json()
    del data["collection"], data["collections"]

    loaded = manifest.Manifest.from_json(data)

    assert (loaded.collection, loaded.collections) == ("BPC", {})


def test_sibling__unknown_symbol__lists_the_known(tmp_path):
    with pytest.raises(ManifestError, match=r"no collection 'QPC' \(known: APC\)"):
        sibling_pair(tmp_path).sibling("QPC", tmp_path)


def test_sibling__manifest_holds_another_chain__refused(tmp_path):
    bpc = sibling_pair(tmp_path).with_sibling("APC", "sibling", 99)

    with pytest.raises(ManifestError, match="holds APC on chain 31338, not APC on chain 99"):
        bpc.sibling("APC", tmp_path)


def test_with_sibling__same_chain__refused():
    with pytest.raises(ManifestError, match="not a sibling"):
        sample().with_sibling("APC", "local2", 31337)
