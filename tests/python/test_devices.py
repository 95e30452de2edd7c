"""bpsa.core.devices: serial ids, product ids and positional batch trees (pure Python)."""

import io
import sys

import pytest

from bpsa.core import devices
from bpsa.core.errors import InputError
from bpsa.core.progress import Bar


@pytest.mark.parametrize("count", [1, 2, 3, 7, 16, 33])
def test_device_tree__every_serial__proves_from_its_position(count):
    serials = devices.serials("PRD", count)
    tree = devices.DeviceTree(serials)

    for index, serial in enumerate(serials):
        proof = tree.proof(serial)
        assert tree.index(serial) == index
        assert len(proof) == devices.depth(count)
        assert devices.verify(index, serial, proof, tree.root, count)


def test_verify__another_position_or_a_smaller_count__false():
    serials = devices.serials("PRD", 9)
    tree = devices.DeviceTree(serials)
    proof = tree.proof(serials[5])

    assert not devices.verify(4, serials[5], proof, tree.root, 9)  # the leaf binds the index
    assert not devices.verify(5, serials[5], proof, tree.root, 5)  # past the count
    assert not devices.verify(5, serials[5], proof, tree.root, 8)  # a shallower tree's depth
    assert not devices.verify(5, serials[5], proof[:-1], tree.root, 9)


@pytest.mark.parametrize(("count", "depth"), [(1, 0), (2, 1), (3, 2), (4, 2), (5, 3), (10**9, 30)])
def test_depth__a_count__bit_length_of_count_less_one(count, depth):
    assert devices.depth(count) == depth


def test_device_tree__one_device__root_is_its_leaf():
    serial = devices.serial_id("PRD-1")

    assert devices.DeviceTree([serial]).root == devices.leaf(0, serial)


def test_device_tree__serial_outside__has_no_proof():
    tree = devices.DeviceTree(devices.serials("PRD", 4))

    with pytest.raises(InputError, match="not in this batch"):
        tree.proof(devices.serial_id("OTHER-1"))


def test_device_tree__a_serial_twice_or_none__refused():
    serial = devices.serial_id("PRD-1")
    with pytest.raises(InputError, match="same serial twice"):
        devices.DeviceTree([serial, serial])
    with pytest.raises(InputError, match="at least one device"):
        devices.DeviceTree([])


@pytest.mark.parametrize("text", ["", "x" * 65, "tab\there"])
def test_serial_id__bad_text__names_the_problem(text):
    with pytest.raises(InputError, match="printable characters"):
        devices.serial_id(text)


@pytest.mark.parametrize("index", [-1, 10**9, True])
def test_leaf__index_out_of_range__names_the_problem(index):
    with pytest.raises(InputError, match="index"):
        devices.leaf(index, devices.serial_id("PRD-1"))


def test_serials__same_product_and_range__same_ids():
    assert devices.serials("PRD", 3, start=5) == devices.serials("PRD", 8)[5:]
    assert len(set(devices.serials("PRD", 100))) == 100


class _Counter(Bar):
    def __init__(self) -> None:
        self.done = 0

    def advance(self, count: int = 1) -> None:
        self.done += count


@pytest.mark.parametrize("count", [1, 2, 3, 5, 8, 17, devices.CHUNK * 2 + 3])
def test_device_tree__a_bar__advanced_once_per_hash_to_tree_work(count):
    bar = _Counter()

    devices.DeviceTree(devices.serials("PRD", count), bar)

    assert bar.done == devices.tree_work(count)


def test_batch_tree__serial_texts__the_tree_of_their_ids():
    texts = [f"PRD-{n:09d}" for n in range(devices.CHUNK + 5)]

    tree = devices.batch_tree(texts)

    assert tree.root == devices.DeviceTree(devices.serials("PRD", len(texts))).root


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("ci", "drawn"), [(None, True), ("true", False)])
def test_batch_tree__a_large_batch_on_a_terminal__a_bar_unless_ci(ci, drawn, monkeypatch):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.delenv("BPSA_PROGRESS", raising=False)
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    count = 40_000  # over BAR_FROM hashes with its tree

    devices.batch_tree([f"PRD-{n:09d}" for n in range(count)], "building the batch")

    total = count + devices.tree_work(count)
    assert (f"{total}/{total}" in terminal.getvalue()) is drawn
    assert ("hashes/s" in terminal.getvalue()) is drawn
    assert (terminal.getvalue() == "") is not drawn
