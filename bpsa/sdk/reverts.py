"""The contracts' revert reasons as the SDK's exceptions, and the preflight that finds them.

The SDK does not re-implement the contracts' rules. Before it sends a transaction it
simulates the same call (an `eth_call`, nothing mined); a refusal comes back as the
contract's reason, which `REASONS` maps to an exception of `bpsa.core.errors` and a sentence
for people. What the SDK still checks itself is the caller's own input (a malformed
patent key, a negative amount, a file that is not there), before anything is sent.

A message may name `{who}`: the address the operation is about (the sender, or the member
a council call names); it reads "the sender" when the call site does not say. A call site
may also `explain` a reason with what it reads from the chain after the refusal (the date a
term ends, the status a patent is in): the contract decides, the SDK only explains.

`tests/python/test_revert_reasons.py` collects every reason in `contracts/` (and in the
snekmate modules they import) and fails on one this table does not map.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from bpsa.core.errors import (
    BpsaError,
    CaseError,
    CertificateError,
    ChannelError,
    ExchangeError,
    FamilyError,
    GovernanceError,
    InputError,
    LicensingError,
    MandateError,
    MembershipError,
    PoolError,
    SaleError,
    SwapError,
    TokenError,
    TransactionFailed,
)

Explain = Callable[[str], str | None]  # a reason -> a fuller message, or None for the table's

ALLOWANCE_SHORT = "erc20: insufficient allowance"  # a payment's rules passed; approve, then pay
DEFAULT_FIELDS = {"who": "the sender"}


@dataclass(frozen=True)
class Refusal:
    """What a revert reason means: the exception to raise and a message for people."""

    error: type[BpsaError]
    message: str  # may name {who}

    def text(self, **fields: str) -> str:
        return self.message.format_map({**DEFAULT_FIELDS, **fields})


def _contract(prefix: str, error: type[BpsaError], messages: dict[str, str]) -> dict[str, Refusal]:
    """One contract's (or snekmate module's) reasons: `"<prefix>: <rest>"` -> its refusal."""
    return {f"{prefix}: {rest}": Refusal(error, message) for rest, message in messages.items()}


_ZERO = "the deployment named the zero address as the {}"  # constructor reasons

REASONS: dict[str, Refusal] = {
    **_contract("alliance", MembershipError, {
        "already a member": "{who} is already a member (pending, active or suspended)",
        "application already pending": "{who} already has an application pending",
        "council is the zero address": _ZERO.format("council"),
        "empty identity digest": "the identity digest is empty (all zero)",
        "expelled members cannot apply": "{who} was expelled: an expelled member cannot apply",
        "identity differs from the application":
            "the identity differs from the pending application's (it applied again)",
        "kind differs from the application":
            "the member kind differs from the pending application's (it applied again)",
        "market share above 10000 bps": "market share must be 0 to 10000 basis points",
        "market share only for large enterprises":
            "{who} is not a large enterprise: market share applies only to large enterprises",
        "member index out of range": "there is no member at that index",
        "no pending application": "{who} has no application pending",
        "not a member": "{who} is not a member (active or suspended)",
        "not a suspended member": "{who} is not a suspended member",
        "not an active member": "{who} is not an active member",
        "not the pending application":
            "the application the proposal names is no longer the pending one (it applied again)",
        "role already granted": "{who} already holds that role",
        "role not held": "{who} does not hold that role",
        "unknown member kind": "the member kind is not one the alliance knows",
        "unknown role": "the role is not one the alliance knows",
    }),
    **_contract("governance", GovernanceError, {
        "a council needs seats": "a council needs at least one seat",
        "already a seat": "{who} already holds a council seat",
        "already executed": "the proposal was already executed",
        "already voted": "{who} already voted on this proposal",
        "call target is not a contract": "a proposal call targets an address with no contract",
        "calls differ from the proposal": "the calls given differ from the proposal's",
        "cannot remove the last seat": "the last council seat cannot be removed",
        "congress seats follow the alliance":
            "congress seats follow the alliance's members: they are not added or removed",
        "execution delay above one year": "the execution delay must be at most one year",
        "execution delay not elapsed": "it passed but the execution delay has not elapsed",
        "grace period above one year": "the execution grace period must be at most one year",
        "grace period must be positive": "the execution grace period must be at least 1 second",
        "not a seat": "{who} holds no council seat",
        "only the proposer may cancel": "only the proposer may cancel the proposal",
        "only through a proposal": "only an executed proposal of this body may do that",
        "proposal cancelled": "the proposal was cancelled",
        "proposal did not pass": "the proposal did not pass",
        "proposal expired": "the proposal expired (grace period over)",
        "proposal has no calls": "a proposal needs at least one call",
        "proposer is not a seat": "{who} holds no seat and cannot propose",
        "seat is the zero address": "a seat cannot be the zero address",
        "seat taken after the proposal":
            "{who} holds no seat it held before the proposal, so it cannot vote on it",
        "support must be 0 (no), 1 (yes) or 2 (abstain)": "a vote is no, yes or abstain",
        "the proposer holds no seat": "the proposer no longer holds a seat",
        "unknown proposal": "there is no such proposal",
        "voter is not a seat": "{who} holds no seat and cannot vote",
        "voting closed": "voting on the proposal is closed",
        "voting period above one year": "the voting period must be at most one year",
        "voting period must be positive": "the voting period must be at least 1 second",
        "voting still open": "voting is still open",
    }),
    **_contract("ownable", GovernanceError, {
        "caller is not the owner": "only the council, through a proposal, may do that",
        "new owner is the zero address": "the new owner cannot be the zero address",
    }),
    **_contract("pool", PoolError, {
        "nothing pooled to sell a share of":
            "nothing is pooled, or no BPC exists: there is no NAV to sell at",
        "only the sale desk issues": "only the sale desk issues BPC for payment",
        "payment above 10^15 units": "the payment is above 10^15 valuation units",
        "payment too small to buy one BPC wei": "the payment is too small to buy one BPC wei",
        "sale desk is the zero address": "the sale desk cannot be the zero address",
        "the sale desk is already set": "the pool already names a sale desk (set once)",
        "a usage right cannot be assigned": "a usage right cannot be assigned to another holder",
        "a usage right needs an end date in the future":
            "a usage right needs an end date in the future",
        "an expert cannot rate a patent its centre manages":
            "an expert cannot rate a patent its own trusteeship centre manages",
        "an expert cannot rate its own patent": "an expert cannot rate its own patent",
        "buyer already holds the patent": "the buyer already holds the patent",
        "buyer is the zero address": "the buyer cannot be the zero address",
        "caller is not a provider": "{who} is not an active member with the provider role",
        "caller is not an expert": "{who} is not an active expert",
        "centre is not a trusteeship centre": "the centre is not an active trusteeship centre",
        "certificate does not say in force": "the certificate does not say the patent is in force",
        "certificate expired": "the certificate expired",
        "certificate expired; its grace period for late fees has not ended":
            "the certificate expired, but the office still takes the fee late (grace period)",
        "certificate names another owner": "the certificate names another owner",
        "certificate still in force": "its certificate is still in force",
        "core threshold above 100": "core threshold must be 0 to 100",
        "council is the zero address": _ZERO.format("council"),
        "empty collection name": "the collection name is empty",
        "empty document digest": "the document digest must be 32 bytes and not all zero",
        "empty reasoning digest":
            "the rating carries no reasoning document: store the expert's reasoning in IPFS "
            "and give its CID",
        "expert already rated this round": "{who} already rated this round",
        "expert threshold must be odd, 3 to 15": "expert threshold must be odd, 3 to 15",
        "fund is the zero address": _ZERO.format("fund"),
        "grace period above one year": "the grace period must be 0 to one year (365 days)",
        "initial NAV below 0.001 unit per BPC": "the initial NAV must be at least 0.001 per BPC",
        "initial NAV is zero": "initial NAV must be positive",
        "no certificate for this patent and document":
            "no certificate is on chain for this patent and document",
        "not due for re-rating": "the patent is not due for re-rating yet",
        "not the seller of record of this patent":
            "the address is not the seller of record of this patent",
        "only a patent not yet pooled can be withdrawn":
            "only a patent not yet pooled can be withdrawn",
        "only a usage right has an end date": "only a usage right has an end date",
        "only the contributor may withdraw": "only the patent's contributor may withdraw it",
        "only the council submits the fund's patents":
            "purchased and filed patents are submitted by a council proposal",
        "only the exchange assigns": "only the exchange assigns a patent",
        "patent already registered": "the patent is already in the registry",
        "patent is not awaiting certification": "the patent is not awaiting certification",
        "patent is not certified": "the patent is not certified",
        "patent is not in the registry": "the patent is not in the registry",
        "patent is not pooled": "the patent is not pooled",
        "patent is not rated": "the patent is not rated",
        "rating is not under the core threshold": "its score is not under the core threshold",
        "rating under the core threshold": "its score is under the core threshold",
        "re-rating interval above ten years":
            "re-rating interval must be 0 to ten years (in seconds)",
        "score above 100": "score must be 0 to 100",
        "the BPC supply would pass 10^44: the NAV is too low to mint at":
            "the BPC supply would pass 10^44: the NAV is too low to mint at",
        "the contributor sold this patent on the exchange":
            "the contributor sold this patent on the exchange: it may submit it again once it "
            "buys it back, or once the council clears it",
        "the patent is in the registry":
            "the patent is still in the registry: clear its seller once it has left",
        "too few BPC outstanding to mint at NAV without loss":
            "too few BPC are outstanding to mint at the NAV without loss",
        "mandates is the zero address": _ZERO.format("mandates contract"),
        "only the mandates contract sets a centre":
            "only the Mandates contract records a patent's trusteeship centre",
        "unknown patent": "unknown patent: it was never submitted to the pool",
        "unknown removal reason": "the removal reason is not a known one",
        "unknown source": "the patent source is not a known one",
        "usage right ended": "the usage right ended",
        "valuation above 10^33": "valuation must be positive and at most 10^33 (10^15 units)",
        "valuation is zero": "valuation must be positive and at most 10^33 (10^15 units)",
        "valuation too small to mint any BPC": "the valuation is too small to mint any BPC",
    }),
    **_contract("mandates", MandateError, {
        "a contributor cannot be its own centre":
            "a contributor cannot be its own trusteeship centre: it manages its patent itself",
        "a mandate is in force: end it first":
            "a mandate for this patent is in force: the contributor or the centre ends it first",
        "centre is not an active trusteeship centre":
            "the centre is not an active member with the trusteeship-centre role",
        "centre is the zero address": "the centre cannot be the zero address",
        "empty terms digest": "the mandate's terms digest (its agreement's CID) is empty",
        "expiry must be in the future": "the mandate's expiry must be in the future",
        "mandate already accepted": "the centre already accepted this mandate",
        "no mandate or offer for this patent":
            "no mandate or offer stands for this patent (never offered, ended, or the patent "
            "changed hands or left the registry)",
        "no offer to the caller for this patent": "{who} was not offered this patent's mandate",
        "only the contributor of record offers a mandate":
            "only the patent's contributor of record (the council for the fund's patents) "
            "offers a mandate",
        "only the contributor or the centre ends a mandate before its expiry":
            "only the contributor or the centre ends a mandate before its expiry",
        "patent is not in the registry": "the patent is not in the registry",
        "pool is the zero address": _ZERO.format("pool"),
        "share above the council's centre share":
            "the mandate's share is above the council's centre share",
        "the offer expired": "the offer expired: the contributor offers it again",
        "the offer's terms, share or expiry differ":
            "the offer's terms, share or expiry differ from those accepted: the contributor "
            "changed the offer; read it again (mandate show)",
    }),
    **_contract("families", FamilyError, {
        "only the patent's contributor, its mandated centre or the council for the fund sets "
        "its family":
            "{who} may not set this patent's family: only its contributor of record, its "
            "trusteeship centre under an accepted mandate in force, or the council for the "
            "fund's patents",
        "patent is not in the registry": "the patent is not in the registry",
        "pool is the zero address": _ZERO.format("pool"),
        "the patent is already in that family": "the patent is already in that family",
    }),
    **_contract("coverage", PoolError, {
        "only the pool appends": "only the pool appends to its coverage log",
        "patent is already pooled": "the coverage log already has the patent in the pool",
        "patent is not pooled": "the coverage log does not have the patent in the pool",
        "pool is the zero address": _ZERO.format("pool"),
        "the log is full": "the coverage log is full (2^24 - 1 changes of the pooled set)",
    }),
    **_contract("bpc", PoolError, {
        "a burn may leave 0 or at least 1 BPC outstanding":
            "a burn may leave no BPC or at least 1 BPC outstanding",
        "pool is the zero address": _ZERO.format("pool"),
    }),
    **_contract("royalties", PoolError, {
        "amount is zero": "the fee must be positive",
        "council is the zero address": _ZERO.format("council"),
        "fund is the zero address": _ZERO.format("fund"),
        "no such patent": "the pool has no record of that patent: a fee it earned has no payee",
        "nothing to claim": "{who} has no royalties to claim",
        "only the pool changes weights": "only the pool changes royalty weights",
        "pool is the zero address": _ZERO.format("pool"),
        "shares must add up to 10,000 basis points":
            "the contributor, centre and fund shares must add up to 10000 bps",
        "token is the zero address": _ZERO.format("token"),
        "transfer failed": "the royalty token transfer failed",
        "weight out of range": "a royalty weight is out of range",
    }),
    **_contract("fund", PoolError, {
        "amount is zero": "the amount must be positive",
        "approve failed": "the token refused the fund's approval",
        "balance too low": "the fund holds too few tokens to pay that",
        "council is the zero address": _ZERO.format("council"),
        "recipient is the zero address": "the recipient cannot be the zero address",
        "spender is the zero address": "the spender cannot be the zero address",
        "transfer failed": "the fund's token transfer failed",
        "only the sale desk pays proceeds": "only the sale desk pays out sale proceeds",
        "sale desk is the zero address": "the sale desk cannot be the zero address",
        "that would spend sale proceeds counted in the NAV (the sale desk spends them)":
            "that would spend sale proceeds the NAV counts: spend them through the sale desk "
            "(Sale.spend, for a patent of the fund's)",
        "the sale desk is already set": "the fund already names a sale desk (set once)",
        "the token holds sale proceeds counted in the NAV":
            "the fund holds sale proceeds in that token: no allowance may reach them",
    }),
    **_contract("sale", SaleError, {
        "a pooled patent's valuation is stale":
            "sales are halted: a pooled patent's valuation is stale (reported; cleared once "
            "it is re-rated or leaves the pool)",
        "already reported": "that patent is already reported stale",
        "amount is zero": "the amount must be positive",
        "amount too large": "the amount is too large",
        "below the minimum purchase": "the purchase is below the council's minimum",
        "buyer cap above the period cap": "the buyer cap must be at most the period cap",
        "buyer is not an active member":
            "{who} is not an active member: investors join the alliance to buy BPC",
        "council is the zero address": _ZERO.format("council"),
        "fewer BPC than min_bpc":
            "the purchase would mint fewer BPC than the minimum accepted (the NAV or the "
            "terms changed since the quote)",
        "fund is the zero address": _ZERO.format("fund"),
        "minimum above the buyer cap": "the minimum purchase must be at most the buyer cap",
        "minimum is zero": "the minimum purchase must be positive",
        "more than the proceeds held in this token":
            "the fund holds fewer sale proceeds in that token",
        "no cost recorded for this patent": "no proceeds were spent on that patent",
        "no terms set": "the council has not set the sale's terms",
        "not reported": "that patent is not reported stale",
        "not the payment token the council named":
            "that is not the payment token the council named (the terms changed?)",
        "only the fund's own patents are bought with the proceeds":
            "proceeds buy only the fund's own patents (purchased or filed)",
        "only the pool takes a cost": "only the pool takes a patent's cost",
        "patent is not awaiting pooling":
            "the patent is not submitted, certified or rated (awaiting pooling)",
        "payment failed": "the payment token refused the transfer",
        "period cap above 10^15 units": "the period cap must be at most 10^15 units",
        "period must be one day to 366 days": "the cap period must be one day to 366 days",
        "pool is the zero address": _ZERO.format("pool"),
        "sales are closed": "sales are closed",
        "stale grace above one year": "the stale grace must be at most one year",
        "the buyer's cap for the period is reached":
            "{who} would pass its cap for this period",
        "the fund did not receive the payment in full":
            "the token delivered less than the amount (a fee-taking token cannot pay)",
        "the patent is still in the registry":
            "the patent is still in the registry: only a patent that left unpooled is "
            "written off",
        "the patent's valuation is not stale": "that patent's valuation is not stale",
        "the patent's valuation is still stale": "that patent's valuation is still stale",
        "the payment token cannot be BPC": "the payment token cannot be BPC itself",
        "the period's cap is reached": "the sale's cap for this period is reached",
        "token has more than 36 decimals": "the token has more than 36 decimals",
        "token is the zero address": "the token cannot be the zero address",
        "units per valuation unit do not match the token's decimals":
            "the units per valuation unit do not match the token's decimals (a stable token "
            "is worth 0.01 to 100 valuation units)",
    }),
    **_contract("certificates", CertificateError, {
        "a multi-proof has one flag per certificate and proof node, less one":
            "the multi-proof's flags do not fit its certificates and proof nodes (one flag "
            "per certificate and proof node, less one)",
        "a multi-proof's flags merge its certificates count - 1 times":
            "the multi-proof's flags must merge its certificates exactly count - 1 times",
        "alliance is the zero address": _ZERO.format("alliance"),
        "already revoked": "the certificate is already revoked",
        "certificates must come in ascending leaf order, each once":
            "the certificates must come in ascending order of their leaves, each once",
        "batch revoked": "the batch was revoked",
        "council is the zero address": _ZERO.format("council"),
        "duplicate signer": "an oracle signed twice",
        "empty batch": "the batch is empty",
        "empty document digest": "the document digest must be 32 bytes and not all zero",
        "empty root": "the batch root is empty",
        "expiry is zero": "the certificate has no expiry",
        "fewer signatures than the threshold": "fewer oracle signatures than the threshold",
        "no such certificate": "no such certificate for this patent and document",
        "multi-proof does not match the root":
            "the multi-proof does not lead to the batch root: a certificate is not in the "
            "batch as signed, or a proof node or flag is wrong",
        "no certificates to prove": "no certificates were given to prove",
        "nonce already used": "the nonce is used: a newer certificate holds for this patent",
        "nonce must be at least 1": "the nonce must be at least 1",
        "owner is the zero address": "the certificate's owner cannot be the zero address",
        "proof does not match the root":
            "the batch root is not accepted (or was revoked) on chain, or the proof does not "
            "match it",
        "root already used": "the batch root was already used",
        "signature is not its signer's for this chain, contract and content":
            "a signature is not its signer's for this chain, contract and content",
        "signer is not an oracle": "a signer is not an active oracle",
        "signers must be in ascending order": "the signatures must be sorted by signer",
        "status out of range": "the certificate status is out of range",
        "threshold must be 1 to 16": "oracle threshold must be 1 to 16",
        "unknown batch root": "the batch root is unknown on chain",
    }),
    **_contract("ecdsa", CertificateError, {
        "invalid signature": "a signature is malformed (it recovers no signer)",
        "invalid signature `s` value": "a signature is malleable (high s value)",
    }),
    **_contract("merkle_proof_verification", CertificateError, {
        "invalid multiproof": "the Merkle multiproof is malformed",
    }),
    **_contract("erc20", TokenError, {
        "access is denied": "only the token's minter may mint",
        "approve from the zero address": "the zero address cannot approve",
        "approve to the zero address": "the zero address cannot be approved",
        "burn amount exceeds balance": "{who} holds too few tokens to burn that",
        "burn from the zero address": "the zero address cannot burn",
        "expired deadline": "the permit's deadline passed",
        "insufficient allowance": "{who} has not approved enough tokens for this payment",
        "invalid signature": "the permit is not signed by the owner",
        "mint to the zero address": "tokens cannot be minted to the zero address",
        "minter is owner address": "the owner cannot be a minter",
        "minter is the zero address": "the minter cannot be the zero address",
        "new owner is the zero address": "the new owner cannot be the zero address",
        "transfer amount exceeds balance": "{who} holds too few tokens for this payment",
        "transfer from the zero address": "the zero address cannot transfer",
        "transfer to the zero address": "tokens cannot be sent to the zero address",
    }),
    **_contract("licensing", LicensingError, {
        "already holds a BPR": "{who} already holds a BPR",
        "an exclusive licence runs for these terms":
            "an exclusive licence runs for these terms: no per-patent listing",
        "council is the zero address": _ZERO.format("council"),
        "count must be 1 to 10^9": "a batch holds 1 to 1,000,000,000 devices",
        "device rate above 10^6 BPC": "a device rate must be at most 10^6 BPC",
        "device volume above 10^12": "device volumes must be at most 10^12",
        "duration must be 1 second to 50 years": "the duration must be 1 second to 50 years",
        "agreement versions exhausted": "the standard agreement was changed 65,535 times",
        "empty agreement digest": "the agreement digest (its CID's) is empty",
        "empty product id": "the product id must be 32 bytes and not all zero",
        "empty root": "the batch root is empty",
        "fund is the zero address": _ZERO.format("fund"),
        "holds no BPR": "{who} holds no BPR",
        "licensee is the zero address": "the licensee cannot be the zero address",
        "minimum term above ten years": "the minimum term must be 0 to ten years (in seconds)",
        "minimum term not over": "the minimum term is not over",
        "no active listing": "the listing was withdrawn (or never existed)",
        "no converted BPR to release": "{who} holds no converted BPR to release",
        "no tier price for this member kind":
            "its member kind has no tier price: its BPR comes by council grant, if any",
        "not an active member": "{who} is not an active member",
        "only an expelled member's BPR is revoked": "only an expelled member's BPR is revoked",
        "only non-profits receive a free BPR":
            "{who} is not a non-profit: only non-profits get a free BPR",
        "only the exchange records exclusive licences":
            "only the exchange records exclusive licences",
        "the BPR agreement in force is not the one given":
            "the BPR agreement changed since it was read: read the one in force and convert "
            "again",
        "unknown agreement kind": "the agreement kind is 1 (BPR), 2 (per-patent) or 3 (device)",
        "only the lister or the patent's contributor delists":
            "only its lister or the patent's contributor withdraws a listing",
        "only the patent's contributor or an agent it mandated lists terms":
            "only the patent's contributor or an agent it mandated lists terms",
        "patent is no longer pooled": "the listed patent is no longer pooled",
        "patent is not pooled": "the patent is not pooled",
        "per-patent listings of these terms are active":
            "per-patent listings of these terms are active",
        "price above 10^12 BPC": "a tier price must be 0 to 10^12 BPC",
        "price below the mandate's floor": "the price is below the mandate's floor",
        "price must be 1 wei to 10^12 BPC": "the price must be more than 0 and at most 10^12 BPC",
        "rate above 10^12 BPC at full share": "the rate must be 0 to 10^8 BPC per basis point",
        "surcharge above 10,000 bps": "the surcharge must be 0 to 10,000 bps",
        "the lister is not an active member": "the lister is not an active member",
        "the listing ended when the patent changed hands":
            "the listing ended when the patent changed hands",
        "the nonce floor only rises": "the nonce floor only rises",
        "transfer failed": "the BPC transfer failed",
        "unknown member kind": "the member kind is not one licensing knows",
    }),
    **_contract("bpr", LicensingError, {
        "a licence cannot be approved": "a BPR cannot be approved to another address",
        "a licence is not transferable (release it; the new holder converts)":
            "a BPR is not transferable (release it; the new holder converts)",
        "already holds a licence": "{who} already holds a BPR",
        "holder is the zero address": "a BPR holder cannot be the zero address",
        "holds no licence": "{who} holds no BPR",
        "licensing is the zero address": _ZERO.format("licensing contract"),
        "only licensing burns": "only the licensing contract burns a BPR",
        "only licensing mints": "only the licensing contract mints a BPR",
    }),
    **_contract("exchange", ExchangeError, {
        "a usage right cannot be assigned": "a usage right cannot be assigned",
        "an assignee must be a provider or the fund":
            "an assignee must be an active provider or the fund",
        "an exclusive licence needs its agreement's digest":
            "an exclusive licence needs its agreement document's CID",
        "an exclusive licence runs for these terms": "an exclusive licence runs for these terms",
        "an exclusive licensee must be an active member":
            "an exclusive licensee must be an active member",
        "council is the zero address": _ZERO.format("council"),
        "duration must be 1 second to 50 years": "the duration must be 1 second to 50 years",
        "expiry must be in the future": "the mandate's expiry must be in the future",
        "floor price must be 1 wei to 10^10 BPC": "the floor price must be 1 wei to 10^10 BPC",
        "fund is the zero address": _ZERO.format("fund"),
        "no open listing": "there is no open exchange listing with that id",
        "no such mandate": "there is no such mandate",
        "only the council lists the fund's patents": "only the council lists the fund's patents",
        "only the lister, the patent's contributor or the council cancels":
            "only the lister, the patent's contributor or the council cancels a listing",
        "only the patent's contributor gives a mandate":
            "only the patent's contributor gives a mandate",
        "only the patent's contributor or an agent it mandated lists it":
            "only the patent's contributor or an agent it mandated lists it",
        "only the patent's contributor or the agent revokes a mandate":
            "only the patent's contributor or the agent revokes a mandate",
        "patent expired": "the patent expired",
        "patent is already listed": "the patent is already listed on the exchange",
        "patent is not pooled yet": "the patent is not pooled yet",
        "patent was removed from the pool": "the patent was removed from the pool",
        "patent was withdrawn": "the patent was withdrawn",
        "patent's certificate no longer holds": "the patent's certificate no longer holds",
        "per-patent listings of these terms are active":
            "per-patent listings of these terms are active",
        "pool share above 10,000 bps": "the pool share must be 0 to 10,000 bps",
        "price below the mandate's floor": "the price is below the mandate's floor",
        "price must be 1 wei to 10^10 BPC": "the price must be 1 wei to 10^10 BPC",
        "tenure out of range": "the patent's tenure is out of range",
        "the agent must be another address": "the agent must be another address",
        "the contributor is not an active member": "the contributor is not an active member",
        "the lister is not an active member": "the lister is not an active member",
        "the lister's mandate is no longer in force": "the lister's mandate is no longer in force",
        "the mandate expired": "the mandate expired",
        "the patent changed hands since it was listed":
            "the patent changed hands since it was listed",
        "the seller cannot buy its own listing": "the seller cannot buy its own listing",
        "transfer failed": "the BPC transfer failed",
        "unknown kind of trade": "the kind of trade is not a known one",
        "unknown patent": "unknown patent: it was never submitted to the pool",
    }),
    **_contract("infringements", CaseError, {
        "a centre cannot accuse itself": "a centre cannot accuse itself",
        "a party to the case cannot resolve it": "a party to the case cannot resolve it",
        "an open case covers this use": "an open case already covers this use",
        "bond above 10^9 BPC": "the bond must be 0 to 10^9 BPC",
        "case is not awaiting the provider": "the case is not awaiting the provider's decision",
        "case is not open": "the case is not open",
        "council is the zero address": _ZERO.format("council"),
        "empty evidence": "the evidence digest is empty",
        "empty infringer": "the infringer's identity is empty",
        "empty product": "the product is empty",
        "fund is the zero address": _ZERO.format("fund"),
        "no such offer standing": "no such offer stands",
        "no such offer standing on this case": "no such offer stands on this case",
        "not an active rights-protection centre": "{who} is not an active rights-protection centre",
        "only a regulator or the council resolves": "only a regulator or the council resolves",
        "only an authorised case is settled": "only an authorised case is settled",
        "only an authorised case takes an offer": "only an authorised case takes an offer",
        "only the filing centre withdraws": "only the filing centre withdraws the case",
        "only the offerer withdraws an offer on an open case":
            "only the offerer withdraws an offer on an open case",
        "only the patent's provider or its centre decides":
            "only the patent's provider or its centre decides",
        "patent is not pooled": "the patent is not pooled",
        "settlement must be 1 wei to 10^12 BPC": "the settlement must be 1 wei to 10^12 BPC",
        "the accused is already named": "the accused is already named",
        "the accused must be a vetted member with the infringer's identity":
            "the accused must be a vetted member with the infringer's identity",
        "the authorisation lapsed: the patent changed hands or left the pool":
            "the authorisation lapsed: the patent changed hands or left the pool",
        "the patent's provider has not accepted this offer":
            "the patent's provider has not accepted this offer",
        "the provider is not an active member": "the provider is not an active member",
        "transfer failed": "the BPC transfer failed",
    }),
    **_contract("channels", ChannelError, {
        "a close without a proof claims nothing": "a close without a proof claims nothing",
        "already closing": "the channel is already closing",
        "amount exceeds the deposit": "the amount exceeds the channel's deposit",
        "challenge window is over": "the challenge window is over",
        "challenge window not over": "the challenge window is not over yet",
        "channel is closing": "the channel is closing",
        "channel is not closing": "the channel is not closing",
        "council is the zero address": _ZERO.format("council"),
        "deposit must be 1 wei to 2^96 - 1": "the deposit must be 1 wei to 2^96 - 1",
        "hub is the zero address": _ZERO.format("hub"),
        "no such channel": "there is no such channel",
        "not the hub's close consent": "the close consent is not signed by the hub",
        "not the payer's balance proof": "the balance proof is not signed by the payer",
        "nothing to sweep": "there is nothing to sweep",
        "only the payer or the hub closes": "only the payer or the hub closes the channel",
        "only the payer tops up": "only the payer tops up the channel",
        "proof does not pay more than the one in force":
            "the proof does not pay more than the one in force",
        "the hub cannot pay itself": "the hub cannot pay itself",
        "top-up must be 1 wei and keep the deposit under 2^96":
            "a top-up must be at least 1 wei and keep the deposit under 2^96",
        "transfer failed": "the token transfer failed",
        "window must be 10 minutes to 30 days":
            "the challenge window must be 10 minutes to 30 days",
    }),
    **_contract("swaps", SwapError, {
        "amount is zero": "the amount is zero",
        "deadline not reached": "the deadline is not reached yet",
        "deadline passed": "the deadline passed",
        "deadline too close": "the deadline is too close",
        "initiator's deadline must exceed the responder's by the safety margin":
            "the initiator's deadline must exceed the responder's by the safety margin",
        "leg is for another chain": "the leg is for another chain",
        "leg is for another contract": "the leg is for another Swaps contract",
        "minimum lock time must be 1 second to 30 days":
            "the minimum lock time must be 1 second to 30 days",
        "no such swap": "there is no such swap",
        "not the counterparty's signature": "the intent is not signed by the counterparty",
        "only the leg's sender locks it": "only the leg's sender locks it",
        "receiver is the zero address": "the receiver is the zero address",
        "safety margin must be 1 second to 30 days":
            "the safety margin must be 1 second to 30 days",
        "side must be 0 (initiator) or 1 (responder)": "the side must be initiator or responder",
        "swap already settled": "the swap is already settled",
        "swap id already used": "the swap id is already used",
        "terms do not match the lock": "the terms do not match the lock",
        "the legs need two parties": "both legs have the same sender: a swap needs two parties",
        "transfer failed": "the token transfer failed",
        "wrong preimage": "the preimage does not open the hashlock",
    }),
    **_contract("patent_key", InputError, {
        "office code must be two capital letters": "the office code must be two capital letters",
        "patent number is empty": "the patent number is empty",
        "patent number is longer than 32 characters":
            "the patent number is longer than 32 characters",
        "patent number may hold only 0-9, A-Z, '.', '/' and '-'":
            "the patent number may hold only 0-9, A-Z, '.', '/' and '-'",
        "patent number must start with a letter or digit":
            "the patent number must start with a letter or digit",
    }),
}  # fmt: skip


def refusal(what: str, reason: str, explain: Explain | None = None, **fields: str) -> BpsaError:
    """The exception for `reason`, the revert reason of `what` (e.g. "PatentPool.rate")."""
    known = REASONS.get(reason)
    if known is None:
        return TransactionFailed(f"{what} reverted: {reason}")
    message = (explain(reason) if explain else None) or known.text(**fields)
    return known.error(f"{message} [{what}: {reason}]")


def reason_of(exc: Exception) -> str:
    """The revert reason ape read from a refused call or transaction."""
    return str(getattr(exc, "message", "") or exc)


@contextmanager
def reverts_as_errors(what: str, explain: Explain | None = None, **fields: str) -> Iterator[None]:
    """Turn ape's revert exceptions into the mapped `BpsaError` (see `refusal`)."""
    from ape.exceptions import ContractLogicError

    try:
        yield
    except ContractLogicError as exc:
        raise refusal(what, reason_of(exc), explain, **fields) from None


def chain_time() -> int:
    """The chain's time: its latest block's timestamp, what the dates a refusal or a
    listing names are read relative to ("in 2 days")."""
    from ape import chain

    return int(chain.blocks.head.timestamp)


def simulate(
    what: str,
    method: Any,
    *args: Any,
    sender: Any,
    explain: Explain | None = None,
    **fields: str,
) -> Any:
    """Run `method(*args)` as an `eth_call` from `sender` (nothing is sent); its refusal
    raised as the mapped error. Returns what the call would return."""
    with reverts_as_errors(what, explain, **fields):
        return method.call(*args, sender=sender)


def transact(
    what: str,
    method: Any,
    *args: Any,
    sender: Any,
    explain: Explain | None = None,
    **fields: str,
) -> Any:
    """Simulate `method(*args)` from `sender`, then send it: a call that would revert is
    refused with the mapped error and nothing is sent. Returns the receipt."""
    with reverts_as_errors(what, explain, **fields):
        method.call(*args, sender=sender)
        return method(*args, sender=sender)


def proposal_call(
    what: str,
    contract: Any,
    method: str,
    *args: Any,
    explain: Explain | None = None,
    **fields: str,
) -> tuple[str, bytes]:
    """`contract.method(*args)` as a proposal's (target, calldata), simulated as the
    contract's owner (the body whose proposals govern it) would make it now: a call the
    contract would refuse is refused before anyone proposes it."""
    handler = getattr(contract, method)
    owner = str(contract.owner())
    simulate(what, handler, *args, sender=owner, explain=explain, **fields)
    return (str(contract.address), bytes(handler.encode_input(*args)))


def transact_paying(
    what: str,
    method: Any,
    *args: Any,
    sender: Any,
    token: Any,
    spender: Any,
    amount: Callable[[], int],
    too_poor: Callable[[int, int], BpsaError],
    explain: Explain | None = None,
    **fields: str,
) -> Any:
    """Like `transact`, for a call that takes `amount()` of `token` from the sender. The
    simulation runs first: the contracts take payment after their checks, so a refusal for
    the allowance alone means every rule passed. Then the sender's balance must cover the
    amount (`too_poor(balance, amount)` otherwise, nothing sent), `spender` is approved for
    exactly the amount, and the call is simulated again and sent."""
    from ape.exceptions import ContractLogicError

    try:
        method.call(*args, sender=sender)
    except ContractLogicError as exc:
        reason = reason_of(exc)
        if reason != ALLOWANCE_SHORT:
            raise refusal(what, reason, explain, **fields) from None
        owed, balance = amount(), int(token.balanceOf(sender.address))
        if balance < owed:
            raise too_poor(balance, owed) from None
        token.approve(spender, owed, sender=sender)
        return transact(what, method, *args, sender=sender, explain=explain, **fields)
    with reverts_as_errors(what, explain, **fields):
        return method(*args, sender=sender)
