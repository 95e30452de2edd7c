"""bpsa.devices: serial ids, product ids and batch trees (pure Python)."""

import pytest

from bpsa import devices
from bpsa.certificates import verify
from bpsa.errors import InputError


@pytest.mark.parametrize("count", [1, 2, 3, 7, 16, 33])
def test_device_tree__every_serial__proves_against_the_root(count):
    serials = devices.serials("PRD", count)
    tree = devices.DeviceTree(serials)

    for serial in serials:
        assert verify(tree.proof(serial), tree.root, devices.leaf(serial))


def test_device_tree__serial_outside__has_no_proof():
    tree = devices.DeviceTree(devices.serials("PRD", 4))

    with pytest.raises(InputError, match="not in this batch"):
        tree.proof(devices.serial_id("OTHER-1"))


@pytest.mark.parametrize("text", ["", "x" * 65, "tab\there"])
def test_serial_id__bad_text__names_the_problem(text):
    with pytest.raises(InputError, match="printable characters"):
        devices.serial_id(text)


def test_serials__same_product_and_range__same_ids():
    assert devices.serials("PRD", 3, start=5) == devices.serials("PRD", 8)[5:]
    assert len(set(devices.serials("PRD", 100))) == 100
