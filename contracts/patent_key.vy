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
def _check(office: String[8], number: String[64]):
    """
    @notice Reverts with a reason naming what is wrong with the key.
    @dev Reads each string's bytes from one word by shifts (cheaper than a
         slice per character); a string of n bytes is its first n bytes.
    @param office The two-letter office code, capital letters.
    @param number The number at that office.
    """
    assert len(office) == 2, "patent_key: office code must be two capital letters"
    # dev: the office's two bytes are the top two of this word
    code: uint256 = convert(extract32(concat(convert(office, Bytes[8]), empty(bytes32)), 0), uint256)
    first: uint256 = code >> 248
    second: uint256 = (code >> 240) & 255
    # dev: A-Z
    assert first >= 65 and first <= 90 and second >= 65 and second <= 90, "patent_key: office code must be two capital letters"

    length: uint256 = len(number)
    assert length != 0, "patent_key: patent number is empty"
    assert length <= NUMBER_MAX_LENGTH, "patent_key: patent number is longer than 32 characters"
    # dev: at most 32 bytes, so the whole number is this one word, first byte on top
    word: uint256 = convert(extract32(concat(convert(number, Bytes[64]), empty(bytes32)), 0), uint256)
    c: uint256 = word >> 248
    # dev: 0-9, A-Z
    assert (c >= 48 and c <= 57) or (c >= 65 and c <= 90), "patent_key: patent number must start with a letter or digit"
    for i: uint256 in range(1, NUMBER_MAX_LENGTH):
        if i == length:
            break
        c = (word >> (248 - 8 * i)) & 255
        # dev: 0-9, A-Z, '.', '/', '-'
        assert (c >= 48 and c <= 57) or (c >= 65 and c <= 90) or c == 46 or c == 47 or c == 45, "patent_key: patent number may hold only 0-9, A-Z, '.', '/' and '-'"
