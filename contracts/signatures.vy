# pragma version ~=0.4.3
"""
@title signatures
@notice The one check of a secp256k1 signature over an EIP-712 digest that
        Channels, Swaps and Licensing make: the signer, or the zero address
        for a malformed or malleable signature (never a revert, so a view can
        answer no).
@dev Pure helpers: no state. A signature is accepted only with v in {27, 28}
     and s in the lower half of the curve order (EIP-2), so each message has
     one valid signature per key. Certificates uses snekmate's `ecdsa`, which
     makes the same checks and reverts instead.
"""

# dev: secp256k1's group order n, halved (EIP-2's bound on s)
HALF_ORDER: constant(uint256) = 57_896_044_618_658_097_711_785_492_504_343_953_926_418_782_139_537_452_191_302_581_570_759_080_747_168


# @notice A signature as three words: v (27 or 28), r and s.
struct Signature:
    v: uint8
    r: bytes32
    s: bytes32


@internal
@pure
def _signer(digest: bytes32, sig: Signature) -> address:
    """
    @notice Who signed `digest`.
    @param digest The EIP-712 digest.
    @param sig The signature.
    @return The signer, or the zero address for a malformed or malleable signature.
    """
    if convert(sig.s, uint256) > HALF_ORDER or (sig.v != 27 and sig.v != 28):
        return empty(address)
    return ecrecover(digest, sig.v, sig.r, sig.s)


@internal
@pure
def _signer_of_bytes(digest: bytes32, signature: Bytes[65]) -> address:
    """
    @notice Who signed `digest`, the signature packed as r ++ s ++ v (65 bytes).
    @param digest The EIP-712 digest.
    @param signature The packed signature.
    @return The signer, or the zero address for a malformed or malleable signature.
    """
    if len(signature) != 65:
        return empty(address)
    r: uint256 = extract32(signature, 0, output_type=uint256)
    s: uint256 = extract32(signature, 32, output_type=uint256)
    v: uint256 = convert(slice(signature, 64, 1), uint256)
    if s > HALF_ORDER or (v != 27 and v != 28):
        return empty(address)
    return ecrecover(digest, v, r, s)
