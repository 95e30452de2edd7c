"""The exception tree of the shared code. Every message names what was wrong."""


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
