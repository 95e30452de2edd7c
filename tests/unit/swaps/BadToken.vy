# pragma version ~=0.4.3
"""
@title BadToken
@notice Test only: an ERC-20 whose `transfer` and `transferFrom` behave as
        `mode` says: 0 move and return true; 1 move nothing and return false;
        2 revert. No allowances: anyone moves anyone's tokens.
"""

balanceOf: public(HashMap[address, uint256])
mode: public(uint8)


@external
def mint(to: address, amount: uint256):
    self.balanceOf[to] += amount


@external
def set_mode(mode: uint8):
    self.mode = mode


@external
def transfer(to: address, amount: uint256) -> bool:
    return self._move(msg.sender, to, amount)


@external
def transferFrom(owner: address, to: address, amount: uint256) -> bool:
    return self._move(owner, to, amount)


@internal
def _move(owner: address, to: address, amount: uint256) -> bool:
    assert self.mode != 2, "badtoken: refused"
    if self.mode == 1:
        return False
    self.balanceOf[owner] -= amount
    self.balanceOf[to] += amount
    return True
