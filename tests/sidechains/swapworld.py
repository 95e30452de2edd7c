"""Two collections' chains for the swap coordinator's tests: two anvils of our own
(bpsa.sdk.localchain.Anvil, chain ids 41001 and 41002), each with the collection's token
(BPC on the first, APC on the second: the BPC contract, its deployer the minter) and a
Swaps contract, deployed over web3 from ape's compiled artifacts; linked manifests in a
folder; the start-up (test account 3) holds BPC and the AI lab (test account 4) APC."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from web3 import Web3

from bpsa.core import manifest as manifests
from bpsa.core.accounts import dev_account
from bpsa.core.manifest import Deployed, Manifest
from bpsa.sdk.localchain import Anvil, rpc
from bpsa.sidechains.swap import SwapBook, SwapChain, SwapParty

SAFETY = 600  # seconds between the legs' deadlines
MIN_LOCK = 120
MARGIN = 30  # the coordinators' allowance for a transaction to land
STARTUP, LAB, DEPLOYER = 3, 4, 0
HOLDING = 1_000 * 10**18


def _artifact(name: str) -> tuple[list[Any], str]:
    """ABI and deployment bytecode from ape's project (compiled if need be)."""
    from ape import project

    contract_type = getattr(project, name).contract_type
    abi = [json.loads(item.model_dump_json(by_alias=True)) for item in contract_type.abi]
    return abi, str(contract_type.deployment_bytecode.bytecode)


def _deploy(w3: Web3, name: str, *args: Any) -> tuple[str, int]:
    abi, bytecode = _artifact(name)
    deployer = dev_account(DEPLOYER)
    tx = (
        w3.eth.contract(abi=abi, bytecode=bytecode)
        .constructor(*args)
        .build_transaction(
            {"from": deployer.address, "nonce": w3.eth.get_transaction_count(deployer.address)}
        )
    )
    receipt = w3.eth.wait_for_transaction_receipt(
        w3.eth.send_raw_transaction(deployer.sign_transaction(tx).raw_transaction)
    )
    return str(receipt["contractAddress"]), int(receipt["blockNumber"])


def _collection(anvil: Anvil, symbol: str, name: str, holder: int) -> Manifest:
    w3 = Web3(Web3.HTTPProvider(anvil.url))
    deployer = dev_account(DEPLOYER)
    token, token_block = _deploy(w3, "BPC", name, symbol, deployer.address)
    swaps, swaps_block = _deploy(w3, "Swaps", SAFETY, MIN_LOCK)
    abi, _ = _artifact("BPC")
    mint = w3.eth.contract(address=Web3.to_checksum_address(token), abi=abi).functions.mint(
        dev_account(holder).address, HOLDING
    )
    tx: Any = mint.build_transaction(
        {"from": deployer.address, "nonce": w3.eth.get_transaction_count(deployer.address)}
    )
    w3.eth.wait_for_transaction_receipt(
        w3.eth.send_raw_transaction(deployer.sign_transaction(tx).raw_transaction)
    )
    return Manifest(
        network=f"{symbol.lower()}-test",
        ecosystem="ethereum",
        chain_id=anvil.chain_id,
        deployer=deployer.address,
        contracts={"BPC": Deployed(token, token_block), "Swaps": Deployed(swaps, swaps_block)},
        collection=symbol,
    )


@dataclass
class World:
    a: Anvil  # BPC's chain
    b: Anvil  # APC's chain
    bpc: Manifest
    apc: Manifest
    folder: Path

    def chains(self) -> dict[int, SwapChain]:
        """One connection per chain, shared by the parties and the balance reads."""
        if not hasattr(self, "_chains"):
            self._chains = {
                self.a.chain_id: SwapChain(self.a.url, self.bpc),
                self.b.chain_id: SwapChain(self.b.url, self.apc),
            }
        return self._chains

    def party(self, index: int, book: Path) -> SwapParty:
        """A party acting on locks in the latest block (these anvils never reorganise)."""
        chains = self.chains()
        return SwapParty(dev_account(index), SwapBook(book), chains, MARGIN, confirmations=0)

    def balances(self, index: int) -> tuple[int, int]:
        who = dev_account(index).address
        chains = self.chains()
        return chains[self.a.chain_id].balance(who), chains[self.b.chain_id].balance(who)

    def advance(self, anvil: Anvil, seconds: int) -> None:
        rpc(anvil.url, "evm_increaseTime", [seconds])
        rpc(anvil.url, "evm_mine")

    def rpcs(self) -> dict[str, str]:
        return {"BPC": self.a.url, "APC": self.b.url}


def start(folder: Path) -> World:
    a, b = Anvil(41001).start(), Anvil(41002).start()
    try:
        bpc = _collection(a, "BPC", "Blockchain Patent Coin", STARTUP)
        apc = _collection(b, "APC", "AI Patent Coin", LAB)
    except BaseException:
        a.stop()
        b.stop()
        raise
    bpc = bpc.with_sibling("APC", apc.network, apc.chain_id)
    apc = apc.with_sibling("BPC", bpc.network, bpc.chain_id)
    manifests.save(bpc, folder)
    manifests.save(apc, folder)
    return World(a, b, bpc, apc, folder)
