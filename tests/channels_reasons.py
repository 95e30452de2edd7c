"""Channels' limits and revert reasons, as Channels.vy (and the BPC it moves) gives them:
one list for the unit tests (tests/unit/channels) and the stateful model
(tests/stateful/channels_model.py)."""

AMOUNT_MAX = 2**96 - 1
WINDOW_MIN = 600
WINDOW_MAX = 30 * 86_400

NOT_OWNER = "ownable: caller is not the owner"
NO_CHANNEL = "channels: no such channel"
ONLY_PAYER_TOPS_UP = "channels: only the payer tops up"
IS_CLOSING = "channels: channel is closing"
BAD_TOP_UP = "channels: top-up must be 1 wei and keep the deposit under 2^96"
BAD_DEPOSIT = "channels: deposit must be 1 wei to 2^96 - 1"
HUB_PAYS_ITSELF = "channels: the hub cannot pay itself"
OVER_DEPOSIT = "channels: amount exceeds the deposit"
NOT_PAYER_PROOF = "channels: not the payer's balance proof"
NOT_HUB_CONSENT = "channels: not the hub's close consent"
ALREADY_CLOSING = "channels: already closing"
ONLY_PARTIES_CLOSE = "channels: only the payer or the hub closes"
CLAIMS_NOTHING = "channels: a close without a proof claims nothing"
NOT_CLOSING = "channels: channel is not closing"
WINDOW_OVER = "channels: challenge window is over"
NOT_MORE = "channels: proof does not pay more than the one in force"
WINDOW_NOT_OVER = "channels: challenge window not over"
NOTHING_TO_SWEEP = "channels: nothing to sweep"
BAD_WINDOW = "channels: window must be 10 minutes to 30 days"
NO_ALLOWANCE = "erc20: insufficient allowance"
NO_BALANCE = "erc20: transfer amount exceeds balance"
BAD_PERMIT = "erc20: invalid signature"
PERMIT_EXPIRED = "erc20: expired deadline"
