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
