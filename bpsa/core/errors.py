"""The exception tree of the shared code. Every message names what was wrong.

A contract's revert reason becomes one of these through the table in `bpsa.sdk.reverts`.
"""


class BpsaError(Exception):
    """Base of every error this package raises on purpose."""


class ManifestError(BpsaError):
    """A deployment manifest is missing, malformed, or names an unknown contract."""


class InputError(BpsaError):
    """A caller passed a value the suite cannot take (unknown kind, role, address...)."""


class GovernanceError(BpsaError):
    """A proposal cannot be made, voted on or executed in its current state."""


class MembershipError(BpsaError):
    """A member operation does not fit the member's current status."""


class TransactionFailed(BpsaError):
    """The chain rejected a transaction for a reason no table entry names (a revert
    without a reason, or from a contract outside `contracts/`); the message carries it."""


class PoolError(BpsaError):
    """A pool operation does not fit the patent's state or the caller's roles."""


class MandateError(PoolError):
    """A trusteeship mandate's offer, acceptance or end does not fit its state or parties."""


class FamilyError(PoolError):
    """A patent family's change by someone who may not act for the patent, or to no effect."""


class CertificateError(BpsaError):
    """A certificate, batch or signature set the Certificates contract would refuse."""


class LicensingError(BpsaError):
    """A licensing operation does not fit the caller's standing or the licence's state."""


class CoverageError(LicensingError):
    """A patent was not covered by a BPR's snapshot, or a coverage proof does not hold."""


class TokenError(BpsaError):
    """A token refused a transfer, approval or permit (too small a balance or allowance)."""


class ExchangeError(BpsaError):
    """An exchange listing, mandate or trade the Exchange contract refuses."""


class CaseError(BpsaError):
    """An infringement case, bond or offer the Infringements contract refuses."""


class SaleError(BpsaError):
    """A purchase of BPC from the fund, or a spending of its proceeds, that the sale desk
    refuses (closed, over a cap, stale NAV, not a member, terms changed)."""


class ChannelError(BpsaError):
    """A payment-channel operation the Channels contract refuses."""


class SwapError(InputError):
    """A swap intent, lock or claim that the contract would refuse."""


class ChainError(BpsaError):
    """A chain could not answer what was asked: one of the two below."""


class ChainUnavailable(ChainError):
    """The RPC endpoint could not be reached, or answered something that is not JSON-RPC
    (retry later, backing off: `bpsa.core.chain.Backoff`)."""


class ChainRejected(ChainError):
    """The chain refused a transaction or call; the message carries its reason."""
