# pragma version ~=0.4.3
"""
@title patent_key
@notice A patent's key is its office (a WIPO ST.3 two-letter code such as
        US, EP, CN or WO) and its number at that office (up to 32 of
        0-9, A-Z, '.', '/' and '-', starting with a letter or digit, e.g.
        "11234567", "ZL201810123456.7", "2019/123456").
@dev Pure helpers: no state. The id is keccak256(abi_encode(office, number)):
     each string is length-prefixed, so no two keys share an id, well-formed
     or not (the packed office ++ number made ("U", "S123") the id of
     ("US", "123")). PatentPool and Certificates check every key they take.
"""

NUMBER_MAX_LENGTH: constant(uint256) = 32
# dev: the byte 0x01 in each of a word's 32 bytes (times c: the byte c in each)
EVERY_BYTE: constant(uint256) = max_value(uint256) // 255
# dev: the high bit of each byte
HIGH_BITS: constant(uint256) = EVERY_BYTE * 128


@internal
@pure
def _id(office: String[8], number: String[64]) -> bytes32:
    """
    @notice The registry key of (office, number).
    @param office The two-letter office code.
    @param number The number at that office.
    @return keccak256(abi_encode(office, number)).
    """
    return keccak256(abi_encode(office, number))


@internal
@pure
def _checked_id(office: String[8], number: String[64]) -> bytes32:
    """
    @notice The registry key of a well-formed (office, number); reverts with the
            reason `_check` gives for a malformed one.
    @dev One internal call instead of `_check` then `_id`: the strings are
         copied into one frame, not two (about 1,400 gas less where both ran).
    @param office The two-letter office code.
    @param number The number at that office.
    @return keccak256(abi_encode(office, number)).
    """
    self._check(office, number)
    return keccak256(abi_encode(office, number))


@internal
@pure
def _check(office: String[8], number: String[64]):
    """
    @notice Reverts with a reason naming what is wrong with the key.
    @dev Reads each string from one word: a string of n bytes is the word's top
         n bytes, the rest zero. The number's characters are checked all at
         once (SWAR): with every byte under 0x80, adding k < 0x80 to each byte
         carries into none, and sets a byte's high bit exactly when the byte
         is at least 0x80 - k.
    @param office The two-letter office code, capital letters.
    @param number The number at that office.
    """
    assert len(office) == 2, "patent_key: office code must be two capital letters"
    code: uint256 = convert(extract32(concat(convert(office, Bytes[8]), empty(bytes32)), 0), uint256)
    first: uint256 = code >> 248
    second: uint256 = (code >> 240) & 255
    # dev: A-Z
    assert first >= 65 and first <= 90 and second >= 65 and second <= 90, "patent_key: office code must be two capital letters"

    length: uint256 = len(number)
    assert length != 0, "patent_key: patent number is empty"
    assert length <= NUMBER_MAX_LENGTH, "patent_key: patent number is longer than 32 characters"
    word: uint256 = convert(extract32(concat(convert(number, Bytes[64]), empty(bytes32)), 0), uint256)
    c: uint256 = word >> 248
    # dev: 0-9, A-Z
    assert (c >= 48 and c <= 57) or (c >= 65 and c <= 90), "patent_key: patent number must start with a letter or digit"
    # dev: no byte of 0x80 or more (nor any UTF-8 beyond ASCII), so the sums below carry not
    assert word & HIGH_BITS == 0, "patent_key: patent number may hold only 0-9, A-Z, '.', '/' and '-'"
    # dev: bytes 45-57 ('-', '.', '/', 0-9): at least 45 (+83 reaches 128), not over 57 (+70)
    punctuation_or_digit: uint256 = (word + EVERY_BYTE * 83) & ~(word + EVERY_BYTE * 70)
    # dev: bytes 65-90 (A-Z): at least 65 (+63 reaches 128), not over 90 (+37)
    capital: uint256 = (word + EVERY_BYTE * 63) & ~(word + EVERY_BYTE * 37)
    # dev: the high bit of each of the number's bytes (the padding after it is zero)
    used: uint256 = HIGH_BITS << (8 * (NUMBER_MAX_LENGTH - length))
    assert (punctuation_or_digit | capital) & used == used, "patent_key: patent number may hold only 0-9, A-Z, '.', '/' and '-'"
