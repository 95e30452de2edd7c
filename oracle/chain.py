"""The chain as an oracle node sees it: the gateway (`bpsa.core.chain.Gateway`) with
PatentPool's, Certificates' and Alliance's reads a node needs (submissions, certified
owners, statuses, nonces, roles)."""

from __future__ import annotations

import functools
from typing import Any

from eth_utils.abi import get_abi_output_types

from bpsa.core import certificates as certs
from bpsa.core.chain import ChainRejected, ChainUnavailable, Gateway
from bpsa.core.codes import CertStatus, Lapse, PatentStatus, Role, Source
from bpsa.core.manifest import Manifest
from bpsa.oracle.checks import Submission

__all__ = ["ChainRejected", "ChainUnavailable", "PoolChain"]


class PoolChain(Gateway):
    """PatentPool, Certificates and Alliance of one deployment."""

    def __init__(
        self,
        rpc_url: str,
        manifest: Manifest,
        abis: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(rpc_url, manifest, abis)
        self._patent_fields: list[str] | None = None

    # The pool's contracts, bound when first used.
    @functools.cached_property
    def pool(self) -> Any:
        return self.contract("PatentPool")

    @functools.cached_property
    def certificates(self) -> Any:
        return self.contract("Certificates")

    @functools.cached_property
    def alliance(self) -> Any:
        return self.contract("Alliance")

    @functools.cached_property
    def start_block(self) -> int:
        return self.manifest.contracts["PatentPool"].block

    def submissions(self, from_block: int, to_block: int) -> list[Submission]:
        if to_block < from_block:
            return []
        event = self.pool.events.Submitted
        logs = self.call(lambda: event.get_logs(from_block=from_block, to_block=to_block))
        return [
            Submission(
                patent=bytes(log.args.patent),
                office=str(log.args.office),
                number=str(log.args.number),
                document=bytes(log.args.document),
                contributor=str(log.args.contributor),
                source=Source(int(log.args.source)),
                block=int(log.blockNumber),
            )
            for log in logs
        ]

    def certified_owners(self, patent: bytes) -> list[str]:
        """Every owner a certificate for `patent` (any document) named, oldest first."""
        event = self.certificates.events.CertificateAccepted
        logs = self.call(
            lambda: event.get_logs(from_block=self.start_block, argument_filters={"patent": patent})
        )
        owners: list[str] = []
        for log in logs:
            owner = str(log.args.owner)
            if owner not in owners:
                owners.append(owner)
        return owners

    def patent(self, patent: bytes) -> dict[str, Any]:
        """PatentPool's record of `patent`, by field name."""
        record = self.call(self.pool.functions.patents(patent).call)
        return dict(zip(self._fields(), record, strict=True))

    def status(self, patent: bytes) -> tuple[PatentStatus, bytes]:
        """The patent's status and its current document digest."""
        record = self.patent(patent)
        return PatentStatus(record["status"]), bytes(record["document"])

    def lapse(self, patent: bytes) -> Lapse:
        return Lapse(int(self.call(lambda: self.pool.functions.lapse_of(patent).call())))

    def last_nonce(self, patent: bytes, document: bytes) -> int:
        return self.certificate(patent, document)[3]

    def certificate(self, patent: bytes, document: bytes) -> tuple[str, CertStatus, int, int]:
        """(owner, status, expiry, nonce) of the certificate for `patent` and `document`."""
        owner, status, expiry, nonce = self.call(
            lambda: self.certificates.functions.certificate(patent, document).call()
        )
        return str(owner), CertStatus(int(status)), int(expiry), int(nonce)

    def holdings(
        self, keys: list[tuple[bytes, bytes]]
    ) -> list[tuple[dict[str, Any], tuple[str, CertStatus, int, int]]]:
        """For each (patent, document): PatentPool's record of the patent (as `patent`) and
        the certificate for that document (as `certificate`), all read in one JSON-RPC
        batch: a node re-checks every held patent without a round trip each."""
        if not keys:
            return []
        calls: list[tuple[str, list[Any]]] = []
        for patent, document in keys:
            for contract, fn, args in (
                (self.pool, "patents", [patent]),
                (self.certificates, "certificate", [patent, document]),
            ):
                data = contract.encode_abi(fn, args)
                calls.append(("eth_call", [{"to": contract.address, "data": data}, "latest"]))
        answers = self.rpc.batch(calls)
        record_types, cert_types = self._output_types
        fields = self._fields()
        out = []
        for i in range(0, len(answers), 2):
            (record,) = self.w3.codec.decode(record_types, bytes.fromhex(answers[i][2:]))
            owner, status, expiry, nonce = self.w3.codec.decode(
                cert_types, bytes.fromhex(answers[i + 1][2:])
            )
            cert = (str(self.w3.to_checksum_address(owner)), CertStatus(status), expiry, nonce)
            values = dict(zip(fields, record, strict=True))
            for name in ("contributor", "centre"):  # as web3's contract calls give them
                values[name] = str(self.w3.to_checksum_address(values[name]))
            out.append((values, cert))
        return out

    @functools.cached_property
    def _output_types(self) -> tuple[list[str], list[str]]:
        def outputs(contract: Any, name: str) -> list[str]:
            entry = next(e for e in contract.abi if e.get("name") == name)
            return list(get_abi_output_types(entry))

        return outputs(self.pool, "patents"), outputs(self.certificates, "certificate")

    def _fields(self) -> list[str]:
        if self._patent_fields is None:
            entry = next(
                e for e in self.pool.abi if e.get("name") == "patents" and e["type"] == "function"
            )
            self._patent_fields = [c["name"] for c in entry["outputs"][0]["components"]]
        return self._patent_fields

    def root_used(self, root: bytes) -> bool:
        return bool(self.call(lambda: self.certificates.functions.roots(root).call()))

    def threshold(self) -> int:
        return int(self.call(lambda: self.certificates.functions.threshold().call()))

    def is_oracle(self, who: str) -> bool:
        return bool(
            self.call(lambda: self.alliance.functions.has_role(who, int(Role.ORACLE)).call())
        )

    def identity_of(self, member: str) -> bytes:
        return bytes(self.call(lambda: self.alliance.functions.identity_of(member).call()))

    def domain(self) -> Any:
        return certs.domain(self.chain_id(), str(self.certificates.address))
