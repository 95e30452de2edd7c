# pragma version ~=0.4.3
"""
@title codes
@notice Member kinds, member statuses and role bits of the alliance.
        Constants only: every contract that reads Alliance imports this
        module so the numbers are written down once.
@dev Role bits are powers of two so a member's roles fit one word.
"""

# Member kinds (DESIGN.md, Alliance). Zero means "no record".
KIND_NON_PROFIT: constant(uint8) = 1
KIND_START_UP: constant(uint8) = 2
KIND_SME: constant(uint8) = 3
KIND_LARGE_ENTERPRISE: constant(uint8) = 4
KIND_INDIVIDUAL: constant(uint8) = 5
KIND_MAX: constant(uint8) = 5

# Member statuses. Zero means "never applied".
STATUS_NONE: constant(uint8) = 0
STATUS_APPLIED: constant(uint8) = 1
STATUS_ACTIVE: constant(uint8) = 2
STATUS_SUSPENDED: constant(uint8) = 3
STATUS_EXPELLED: constant(uint8) = 4
STATUS_REJECTED: constant(uint8) = 5

# Real-name roles, one bit each.
ROLE_PROVIDER: constant(uint256) = 1
ROLE_DEMANDER: constant(uint256) = 2
ROLE_TRUSTEESHIP_CENTRE: constant(uint256) = 4
ROLE_RIGHTS_PROTECTION_CENTRE: constant(uint256) = 8
ROLE_REGULATOR: constant(uint256) = 16
ROLE_TRADING_TEAM: constant(uint256) = 32
ROLE_EXPERT: constant(uint256) = 64
ROLE_ORACLE: constant(uint256) = 128
ROLE_ALL: constant(uint256) = 255

# Market share of a large enterprise, in basis points.
MARKET_SHARE_MAX_BPS: constant(uint16) = 10_000

# Basis points: 10_000 is the whole.
BPS: constant(uint256) = 10_000

# A patent's place in PatentPool's lifecycle. Zero means "never submitted".
# WITHDRAWN, REMOVED and EXPIRED are terminal: the key may be submitted again.
PATENT_NONE: constant(uint8) = 0
PATENT_SUBMITTED: constant(uint8) = 1
PATENT_CERTIFIED: constant(uint8) = 2
PATENT_RATED: constant(uint8) = 3
PATENT_POOLED: constant(uint8) = 4
PATENT_REMOVED: constant(uint8) = 5
PATENT_EXPIRED: constant(uint8) = 6
PATENT_WITHDRAWN: constant(uint8) = 7

# Where a pooled patent comes from.
SOURCE_CONTRIBUTED: constant(uint8) = 1
SOURCE_PURCHASED: constant(uint8) = 2
SOURCE_FILED: constant(uint8) = 3
SOURCE_USAGE_RIGHT: constant(uint8) = 4
SOURCE_MAX: constant(uint8) = 4

# The office status a certificate attests. FEE_UNPAID: a maintenance fee fell due
# unpaid and the office still takes it late; its certificate's expiry is that due
# date, so it holds as an in-force certificate past its expiry does (until the
# pool's grace period ends). LAPSED also covers a term that ended. REVOKED is never
# attested: only a revocation by the oracle quorum writes it.
CERT_NONE: constant(uint8) = 0
CERT_IN_FORCE: constant(uint8) = 1
CERT_PENDING: constant(uint8) = 2
CERT_LAPSED: constant(uint8) = 3
CERT_INVALIDATED: constant(uint8) = 4
CERT_FEE_UNPAID: constant(uint8) = 5
CERT_STATUS_MAX: constant(uint8) = 5
CERT_REVOKED: constant(uint8) = 6

# Why a patent left the pool (PatentPool's Removed event).
REMOVAL_BELOW_CORE: constant(uint8) = 1
REMOVAL_TRANSFERRED: constant(uint8) = 2
REMOVAL_SOLD: constant(uint8) = 3
REMOVAL_REJECTED: constant(uint8) = 4
REMOVAL_MAX: constant(uint8) = 4

# Why a patent lapsed (PatentPool's Expired event); zero means "in force".
LAPSE_NONE: constant(uint8) = 0
LAPSE_NO_CERTIFICATE: constant(uint8) = 1
LAPSE_NOT_IN_FORCE: constant(uint8) = 2
LAPSE_PAST_EXPIRY: constant(uint8) = 3
LAPSE_OWNER_CHANGED: constant(uint8) = 4
LAPSE_RIGHT_ENDED: constant(uint8) = 5

# An infringement case's place in Infringements' lifecycle. Zero means "no case".
# DECLINED, SETTLED, DISMISSED and WITHDRAWN are terminal.
CASE_NONE: constant(uint8) = 0
CASE_FILED: constant(uint8) = 1
CASE_AUTHORISED: constant(uint8) = 2
CASE_DECLINED: constant(uint8) = 3
CASE_SETTLED: constant(uint8) = 4
CASE_DISMISSED: constant(uint8) = 5
CASE_WITHDRAWN: constant(uint8) = 6

# A trusteeship mandate's state (Mandates.mandate_of). Zero means "none in the patent's
# current tenure" (never offered, ended, or the patent changed hands or left the registry).
MANDATE_NONE: constant(uint8) = 0
MANDATE_OFFERED: constant(uint8) = 1
MANDATE_IN_FORCE: constant(uint8) = 2
MANDATE_EXPIRED: constant(uint8) = 3

# Why Mandates ended a mandate or offer (its MandateEnded event). A change of hands or
# the patent leaving the registry ends it too, logged by PatentPool (Assigned, Removed,
# Expired, Withdrawn).
MANDATE_ENDED_BY_CONTRIBUTOR: constant(uint8) = 1
MANDATE_ENDED_BY_CENTRE: constant(uint8) = 2
MANDATE_ENDED_EXPIRED: constant(uint8) = 3
MANDATE_ENDED_CENTRE_LEFT: constant(uint8) = 4
MANDATE_ENDED_REPLACED: constant(uint8) = 5
