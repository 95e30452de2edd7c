"""The swap coordinator: drives one party's side of BPC <-> APC swaps across two chains.

Each party runs its own coordinator with its own key and its own durable book (SQLite,
synchronous=FULL): the intents it signed, the initiator's preimage, each step it took.
A step reads both legs from their chains (`Swaps.status`, the `Claimed` event's
preimage, the latest block's time), asks the pure rules (`swap_rules.decide`) what to
do, and does it: lock its own leg, claim the other with the preimage, refund its own
after the deadline, or wait. Because every decision is taken again from what the chains
show, a coordinator killed at any point and restarted picks up where the chains are;
the book only keeps what the chains cannot (the preimage before it is public, the
counterparty's signature). A chain that does not answer is a leg it cannot see: it
waits, and acts on the other chain only where that is safe. The other leg counts as
locked only once its lock is `confirmations` blocks deep (12 by default): the responder
locks on a final lock of the initiator, and the initiator reveals the preimage (claims)
only on a final lock of the responder, so a reorganisation cannot take back a lock the
preimage was revealed for. A step that fails in any way (an endpoint down, a reverted or
dropped transaction, a JSON-RPC error) is a wait with its reason: the next step decides
again.

    party = SwapParty(account, SwapBook(path), chains, margin=60, confirmations=12)
    record = party.propose(give, get, counterparty, window)   # the initiator
    party.accept(document)                                    # the responder
    party.run_until_done()
"""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount

from bpsa.core import swaps as sw
from bpsa.core.chain import Backoff, ChainUnavailable, Gateway, depth
from bpsa.core.errors import InputError
from bpsa.core.manifest import Manifest
from bpsa.core.store import Store
from bpsa.sidechains.swap_rules import Action, Do, LegStatus, LegView, decide

SCHEMA = """
CREATE TABLE IF NOT EXISTS swaps (
    key TEXT PRIMARY KEY,            -- the intent's struct hash (hex)
    side INTEGER NOT NULL,           -- this party's leg: 0 initiator, 1 responder
    intent TEXT NOT NULL,            -- JSON (intent_to_json)
    preimage TEXT,                   -- hex; the initiator's from the start
    my_signature TEXT NOT NULL,      -- ours, for the counterparty's lock
    their_signature TEXT,            -- theirs, for our lock
    state TEXT NOT NULL,             -- open, done, abandoned
    note TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS steps (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    action TEXT NOT NULL,
    why TEXT NOT NULL,
    tx TEXT,
    at REAL NOT NULL
);
"""

SWAP_FIELDS = ("chain_id", "swaps", "token", "amount", "sender", "receiver", "deadline")
CONFIRMATIONS = 12  # blocks deep the other leg's lock must be before a party acts on it


class SwapRefused(InputError):
    """An intent this party will not sign or act on; the message says why."""


# -- the intent as a document the parties exchange ------------------------------------


def intent_to_json(intent: sw.SwapIntent) -> dict[str, Any]:
    def leg(leg: sw.Leg) -> dict[str, Any]:
        return {
            "chain_id": leg.chain_id,
            "swaps": leg.swaps,
            "token": leg.token,
            "amount": str(leg.amount),
            "sender": leg.sender,
            "receiver": leg.receiver,
            "deadline": leg.deadline,
        }

    return {
        "initiator": leg(intent.initiator),
        "responder": leg(intent.responder),
        "hashlock": "0x" + intent.hashlock.hex(),
    }


def intent_from_json(data: Any, source: str = "the intent") -> sw.SwapIntent:
    """Parse and validate; `SwapRefused` names the field that is wrong."""
    if not isinstance(data, dict):
        raise SwapRefused(f"{source}: expected a JSON object")

    def leg(name: str) -> sw.Leg:
        raw = data.get(name)
        if not isinstance(raw, dict):
            raise SwapRefused(f"{source}: {name} must be an object with {', '.join(SWAP_FIELDS)}")
        missing = [f for f in SWAP_FIELDS if f not in raw]
        if missing:
            raise SwapRefused(f"{source}: {name} lacks {', '.join(missing)}")
        try:
            return sw.Leg(
                int(raw["chain_id"]),
                str(raw["swaps"]),
                str(raw["token"]),
                int(str(raw["amount"])),
                str(raw["sender"]),
                str(raw["receiver"]),
                int(raw["deadline"]),
            )
        except (TypeError, ValueError, sw.SwapError) as exc:
            raise SwapRefused(f"{source}: {name}: {exc}") from None

    initiator, responder = leg("initiator"), leg("responder")
    try:
        hashlock = bytes.fromhex(str(data.get("hashlock", "")).removeprefix("0x"))
        return sw.SwapIntent(initiator, responder, hashlock)
    except (ValueError, sw.SwapError) as exc:
        raise SwapRefused(f"{source}: hashlock: {exc}") from None


@dataclass(frozen=True)
class Document:
    """What the parties hand each other: the intent and the signatures so far."""

    intent: sw.SwapIntent
    initiator_signature: bytes | None = None  # for the responder's lock
    responder_signature: bytes | None = None  # for the initiator's lock

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"intent": intent_to_json(self.intent)}
        for name in ("initiator_signature", "responder_signature"):
            value = getattr(self, name)
            if value is not None:
                out[name] = "0x" + value.hex()
        return out

    @classmethod
    def from_json(cls, data: Any, source: str = "the swap document") -> Document:
        if not isinstance(data, dict) or "intent" not in data:
            raise SwapRefused(f"{source}: expected an object with an intent")
        intent = intent_from_json(data["intent"], source)
        signatures: dict[str, bytes | None] = {}
        for name in ("initiator_signature", "responder_signature"):
            raw = data.get(name)
            if raw is None:
                signatures[name] = None
                continue
            try:
                signature = bytes.fromhex(str(raw).removeprefix("0x"))
            except ValueError:
                raise SwapRefused(f"{source}: {name} is not hex") from None
            side = sw.Side.RESPONDER if name == "initiator_signature" else sw.Side.INITIATOR
            expected = intent.counterparty(side)
            if len(signature) != 65 or sw.signer(intent, side, signature) != expected:
                raise SwapRefused(f"{source}: {name} is not {expected}'s signature of the intent")
            signatures[name] = signature
        return cls(intent, signatures["initiator_signature"], signatures["responder_signature"])

    @classmethod
    def read(cls, path: Path) -> Document:
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            raise SwapRefused(f"cannot read the swap document {path}: {exc}") from None
        return cls.from_json(data, str(path))

    def write(self, path: Path) -> None:
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(json.dumps(self.to_json(), indent=2) + "\n")
        tmp.replace(path)


# -- the durable book -------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    key: str
    side: sw.Side
    intent: sw.SwapIntent
    preimage: bytes | None
    my_signature: bytes
    their_signature: bytes | None
    state: str
    note: str


class SwapBook:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._store = Store(path, SCHEMA)
        self._db = self._store.db

    def close(self) -> None:
        self._store.close()

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return self._store.transaction()

    def add(
        self,
        side: sw.Side,
        intent: sw.SwapIntent,
        my_signature: bytes,
        preimage: bytes | None = None,
        their_signature: bytes | None = None,
    ) -> Record:
        key = intent.struct_hash().hex()
        with self._transaction():
            self._db.execute(
                "INSERT INTO swaps (key, side, intent, preimage, my_signature, their_signature,"
                " state) VALUES (?,?,?,?,?,?, 'open') ON CONFLICT(key) DO NOTHING",
                (
                    key,
                    int(side),
                    json.dumps(intent_to_json(intent)),
                    preimage.hex() if preimage else None,
                    my_signature.hex(),
                    their_signature.hex() if their_signature else None,
                ),
            )
        return self.get(key)

    def set_their_signature(self, key: str, signature: bytes) -> None:
        self._db.execute("UPDATE swaps SET their_signature=? WHERE key=?", (signature.hex(), key))

    def set_preimage(self, key: str, preimage: bytes) -> None:
        self._db.execute("UPDATE swaps SET preimage=? WHERE key=?", (preimage.hex(), key))

    def finish(self, key: str, state: str, note: str) -> None:
        self._db.execute("UPDATE swaps SET state=?, note=? WHERE key=?", (state, note, key))

    def log(self, key: str, action: Action, tx: str | None = None) -> None:
        self._db.execute(
            "INSERT INTO steps (key, action, why, tx, at) VALUES (?,?,?,?,?)",
            (key, action.do.value, action.why, tx, time.time()),
        )

    def steps(self, key: str) -> list[tuple[str, str, str | None]]:
        rows = self._db.execute(
            "SELECT action, why, tx FROM steps WHERE key=? ORDER BY seq", (key,)
        ).fetchall()
        return [(str(a), str(w), None if t is None else str(t)) for a, w, t in rows]

    def get(self, key: str) -> Record:
        row = self._db.execute(
            "SELECT key, side, intent, preimage, my_signature, their_signature, state, note"
            " FROM swaps WHERE key=?",
            (key.removeprefix("0x"),),
        ).fetchone()
        if row is None:
            raise SwapRefused(f"no swap {key} in the book {self.path}")
        return Record(
            str(row[0]),
            sw.Side(int(row[1])),
            intent_from_json(json.loads(row[2])),
            bytes.fromhex(row[3]) if row[3] else None,
            bytes.fromhex(row[4]),
            bytes.fromhex(row[5]) if row[5] else None,
            str(row[6]),
            str(row[7]),
        )

    def swap_keys(self, state: str | None = None) -> list[str]:
        if state is None:
            rows = self._db.execute("SELECT key FROM swaps ORDER BY rowid").fetchall()
        else:
            rows = self._db.execute(
                "SELECT key FROM swaps WHERE state=? ORDER BY rowid", (state,)
            ).fetchall()
        return [str(r[0]) for r in rows]


# -- one collection's chain -------------------------------------------------------------


class SwapChain:
    """The Swaps contract and the collection's token on one chain."""

    def __init__(self, rpc: str, manifest: Manifest) -> None:
        self.manifest = manifest
        # A chain that does not answer is a leg we cannot see this round: fail fast.
        self.chain = Gateway(rpc, manifest, timeout=3)
        self.swaps = self.chain.contract("Swaps")
        self.token = self.chain.contract("BPC")  # the collection's token (BPC, APC, ...)
        self.chain_id = manifest.chain_id
        self.symbol = manifest.collection
        self.from_block = manifest.contracts["Swaps"].block

    def now(self) -> int:
        return int(self.chain.call(lambda: self.chain.w3.eth.get_block("latest")["timestamp"]))

    def client(self) -> str:
        """The node's software (web3_clientVersion), e.g. anvil/v1.7.1."""
        return str(self.chain.call(lambda: self.chain.w3.client_version))

    def safety_margin(self) -> int:
        return int(self.chain.call(self.swaps.functions.SAFETY_MARGIN().call))

    def min_lock_time(self) -> int:
        return int(self.chain.call(self.swaps.functions.MIN_LOCK_TIME().call))

    def view(self, swap_id: bytes, confirmations: int = 0) -> LegView:
        """The leg under `swap_id` as this chain shows it; `LegView.unknown()` if the
        chain does not answer. With `confirmations`, a lock not yet that many blocks deep
        reads as no lock (a reorganisation could still take it back)."""
        try:
            status = sw.Status(int(self.chain.call(self.swaps.functions.status(swap_id).call)))
            now = self.now()
            preimage = self.preimage(swap_id) if status is sw.Status.CLAIMED else None
            if status is sw.Status.LOCKED and confirmations > 0:
                final = self.chain.head() - confirmations
                fn = self.swaps.functions.status(swap_id)
                then = sw.Status(int(self.chain.call(lambda: fn.call(block_identifier=final))))
                if then is sw.Status.NONE:
                    status = sw.Status.NONE
        except Exception:  # unreachable, or an answer that is not one: unseen this round
            return LegView.unknown()
        mapping = {
            sw.Status.NONE: LegStatus.NONE,
            sw.Status.LOCKED: LegStatus.LOCKED,
            sw.Status.CLAIMED: LegStatus.CLAIMED,
            sw.Status.REFUNDED: LegStatus.REFUNDED,
        }
        return LegView(mapping[status], now, preimage)

    def preimage(self, swap_id: bytes) -> bytes | None:
        logs = self.chain.call(
            lambda: self.swaps.events.Claimed().get_logs(
                from_block=self.from_block, argument_filters={"id": swap_id}
            )
        )
        return bytes(logs[0].args.preimage) if logs else None

    def lock(self, account: LocalAccount, intent: sw.SwapIntent, side: sw.Side, sig: bytes) -> str:
        leg = intent.leg(side)
        fns = [
            self.token.functions.approve(self.swaps.address, leg.amount),
            self.swaps.functions.lock(*sw.lock_args(intent, side, sig)),
        ]
        return _tx_hash(self.chain.send_many(account, fns)[-1])

    def claim(
        self, account: LocalAccount, intent: sw.SwapIntent, side: sw.Side, preimage: bytes
    ) -> str:
        fn = self.swaps.functions.claim(*sw.claim_args(intent, side, preimage))
        return _tx_hash(self.chain.send(account, fn))

    def refund(self, account: LocalAccount, intent: sw.SwapIntent, side: sw.Side) -> str:
        fn = self.swaps.functions.refund(*sw.refund_args(intent, side))
        return _tx_hash(self.chain.send(account, fn))

    def balance(self, who: str) -> int:
        return int(self.chain.call(self.token.functions.balanceOf(who).call))


def _tx_hash(receipt: Any) -> str:
    return "0x" + bytes(receipt["transactionHash"]).hex()


# -- one party ----------------------------------------------------------------------------


class SwapParty:
    def __init__(
        self,
        account: LocalAccount,
        book: SwapBook,
        chains: dict[int, SwapChain],
        margin: int = 60,
        confirmations: int = CONFIRMATIONS,
    ) -> None:
        self.account = account
        self.address = str(account.address)
        self.book = book
        self.chains = chains
        self.margin = margin  # seconds a transaction may take to land
        self.confirmations = depth(confirmations)  # blocks deep the other leg's lock must be
        self.unseen = False  # a chain did not answer in the last round of `run`

    def _chain(self, chain_id: int) -> SwapChain:
        found = self.chains.get(chain_id)
        if found is None:
            known = ", ".join(str(c) for c in sorted(self.chains)) or "none"
            raise SwapRefused(f"no connection to chain {chain_id} (connected: {known})")
        return found

    # -- agreeing ------------------------------------------------------------------------

    def propose(
        self,
        give: tuple[int, int],
        get: tuple[int, int],
        counterparty: str,
        window: int,
    ) -> Document:
        """As the initiator: offer `give` = (chain id, amount) of that chain's token for
        `get` = (chain id, amount) from `counterparty`, who has `window` seconds to lock.
        The preimage is drawn and kept in the book; the document carries our signature
        for the responder's lock."""
        mine, theirs = self._chain(give[0]), self._chain(get[0])
        if mine is theirs:
            raise SwapRefused("both legs are on one chain: a swap crosses two")
        if window < 2 * self.margin:
            raise SwapRefused(f"the window must be at least {2 * self.margin} s")
        responder_deadline = theirs.now() + window
        initiator_deadline = max(
            responder_deadline + mine.safety_margin(), mine.now() + mine.min_lock_time()
        )
        preimage = sw.new_preimage()
        intent = sw.SwapIntent(
            sw.Leg(
                mine.chain_id,
                str(mine.swaps.address),
                str(mine.token.address),
                give[1],
                self.address,
                counterparty,
                initiator_deadline,
            ),
            sw.Leg(
                theirs.chain_id,
                str(theirs.swaps.address),
                str(theirs.token.address),
                get[1],
                counterparty,
                self.address,
                responder_deadline,
            ),
            sw.hashlock(preimage),
        )
        self._check(intent, sw.Side.INITIATOR)
        signature = sw.sign_intent(intent, sw.Side.RESPONDER, bytes(self.account.key))
        self.book.add(sw.Side.INITIATOR, intent, signature, preimage=preimage)
        return Document(intent, initiator_signature=signature)

    def accept(self, document: Document) -> Document:
        """As the responder: check the intent (our leg, known chains and contracts, safe
        deadlines, enough time left) and sign it for the initiator's lock."""
        intent = document.intent
        if document.initiator_signature is None:
            raise SwapRefused("the document lacks the initiator's signature")
        self._check(intent, sw.Side.RESPONDER)
        signature = sw.sign_intent(intent, sw.Side.INITIATOR, bytes(self.account.key))
        self.book.add(
            sw.Side.RESPONDER, intent, signature, their_signature=document.initiator_signature
        )
        return Document(intent, document.initiator_signature, signature)

    def take(self, document: Document) -> None:
        """As the initiator: take the responder's signature from its answer."""
        key = document.intent.struct_hash().hex()
        record = self.book.get(key)
        if record.side is not sw.Side.INITIATOR:
            raise SwapRefused("only the initiator takes the responder's signature")
        if document.responder_signature is None:
            raise SwapRefused("the document lacks the responder's signature")
        self.book.set_their_signature(key, document.responder_signature)

    def _check(self, intent: sw.SwapIntent, side: sw.Side) -> None:
        leg, other = intent.leg(side), intent.leg(side.other)
        mine, theirs = self._chain(leg.chain_id), self._chain(other.chain_id)
        for chain, which in ((mine, leg), (theirs, other)):
            if which.swaps != str(chain.swaps.address) or which.token != str(chain.token.address):
                raise SwapRefused(
                    f"the leg on chain {which.chain_id} names contracts that are not its "
                    f"{chain.symbol} collection's Swaps and token"
                )
        if leg.receiver != other.sender or other.receiver != leg.sender:
            raise SwapRefused("each leg's receiver must be the other leg's sender")
        try:
            sw.check_intent(
                intent,
                side,
                chain_id=mine.chain_id,
                swaps=str(mine.swaps.address),
                sender=self.address,
                now=mine.now(),
                safety_margin=mine.safety_margin(),
                min_lock_time=mine.min_lock_time(),
            )
        except sw.SwapError as exc:
            raise SwapRefused(str(exc)) from None
        if side is sw.Side.RESPONDER and leg.deadline - mine.now() < 2 * self.margin:
            raise SwapRefused("too little time left to lock before our deadline")

    # -- driving -------------------------------------------------------------------------

    def step(self, key: str) -> Action:
        """One decision for swap `key`, and its effect."""
        record = self.book.get(key)
        if record.state != "open":
            return Action(Do.DONE, record.note)
        intent, side = record.intent, record.side
        mine_leg, their_leg = intent.leg(side), intent.leg(side.other)
        mine_chain, their_chain = self._chain(mine_leg.chain_id), self._chain(their_leg.chain_id)
        mine = mine_chain.view(intent.swap_id(side))
        theirs = their_chain.view(intent.swap_id(side.other), self.confirmations)
        if LegStatus.UNKNOWN in (mine.status, theirs.status):
            self.unseen = True  # `run` backs off before it asks again
        preimage = record.preimage or mine.preimage
        if preimage is not None and record.preimage is None:
            self.book.set_preimage(key, preimage)  # learnt from the claim of our leg
        action = decide(
            side is sw.Side.INITIATOR,
            mine,
            theirs,
            mine_leg.deadline,
            their_leg.deadline,
            self.margin,
            preimage,
        )
        tx: str | None = None
        try:
            if action.do is Do.LOCK_MINE:
                if record.their_signature is None:
                    action = Action(Do.WAIT, "waiting for the counterparty's signature")
                else:
                    tx = mine_chain.lock(self.account, intent, side, record.their_signature)
            elif action.do is Do.CLAIM_THEIRS:
                assert action.preimage is not None
                tx = their_chain.claim(self.account, intent, side.other, action.preimage)
            elif action.do is Do.REFUND_MINE:
                tx = mine_chain.refund(self.account, intent, side)
            elif action.do in (Do.DONE, Do.ABANDON):
                state = "done" if action.do is Do.DONE else "abandoned"
                self.book.finish(key, state, action.why)
        except SwapRefused:
            raise
        except Exception as exc:  # ChainUnavailable, ChainRejected, and any other answer
            # Not done, whatever the endpoint answered (a JSON-RPC error such as "nonce
            # too low" included): the next step decides again from what the chains then
            # show, so a transaction that matters is retried until it lands or stops
            # mattering.
            action = Action(Do.WAIT, f"{action.do.value} failed: {exc}")
            self.unseen = self.unseen or isinstance(exc, ChainUnavailable)
        if action.do is not Do.WAIT or not self._same_as_last(key, action):
            self.book.log(key, action, tx)
        return action

    def _same_as_last(self, key: str, action: Action) -> bool:
        steps = self.book.steps(key)
        return bool(steps) and steps[-1][:2] == (action.do.value, action.why)

    def run(
        self, poll: float = 0.5, timeout: float | None = None, backoff: Backoff | None = None
    ) -> dict[str, str]:
        """Step every open swap until none is open (or `timeout` seconds pass); the
        final state of each swap. Every `poll` seconds while the chains answer; while one
        does not, the project's one retry policy (`Backoff`: from `poll`, doubling to 30 s)."""
        backoff = backoff or Backoff(first=poll)
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            self.unseen = False
            for key in self.book.swap_keys("open"):
                self.step(key)
            if not self.book.swap_keys("open"):
                break
            if deadline is not None and time.monotonic() > deadline:
                break
            if self.unseen:
                delay = backoff.failed()
            else:
                backoff.succeeded()
                delay = poll
            if deadline is not None:
                delay = max(0.0, min(delay, deadline - time.monotonic()))
            time.sleep(delay)
        return {key: self.book.get(key).state for key in self.book.swap_keys()}


def connect(manifests: dict[str, Manifest], rpcs: dict[str, str]) -> dict[int, SwapChain]:
    """A SwapChain per collection: `manifests` and `rpcs` keyed by collection symbol."""
    chains: dict[int, SwapChain] = {}
    for symbol, manifest in manifests.items():
        if symbol not in rpcs:
            raise InputError(f"no RPC URL for collection {symbol} (give --rpc {symbol}=URL)")
        if "Swaps" not in manifest.contracts:
            raise InputError(f"the {manifest.network} manifest has no Swaps contract: deploy it")
        chains[manifest.chain_id] = SwapChain(rpcs[symbol], manifest)
    return chains
