# pragma version ~=0.4.3
"""
@title QuietToken
@notice Test only: an ERC-20 whose `transfer` and `transferFrom` return no
        value (as USDT's do). No allowances: anyone moves anyone's tokens.
"""

balanceOf: public(HashMap[address, uint256])


@external
def mint(to: address, amount: uint256):
    self.balanceOf[to] += amount


@external
def transfer(to: address, amount: uint256):
    self.balanceOf[msg.sender] -= amount
    self.balanceOf[to] += amount


@external
def transferFrom(owner: address, to: address, amount: uint256):
    self.balanceOf[owner] -= amount
    self.balanceOf[to] += amount
