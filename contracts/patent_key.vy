# pragma version ~=0.4.3
"""
@title patent_key
@notice A patent's key is its office (a WIPO ST.3 two-letter code such as
        US, EP, CN or WO) and its number at that office (up to 32 of
        0-9, A-Z, '.', '/' and '-', starting with a letter or digit, e.g.
        "11234567", "ZL201810123456.7", "2019/123456").
@dev Pure helpers: no state. The id is keccak256(office ++ number); the
     office always has two characters, so the concatenation is unambiguous.
"""

NUMBER_MAX_LENGTH: constant(uint256) = 32


@internal
@pure
def _id(office: String[8], number: String[64]) -> bytes32:
    """
    @notice The registry key of (office, number).
    @param office The two-letter office code.
    @param number The number at that office.
    @return keccak256 of the office code followed by the number.
    """
    return keccak256(concat(convert(office, Bytes[8]), convert(number, Bytes[64])))


@internal
@pure
def _check(office: String[8], number: String[64]):
    """
    @notice Reverts with a reason naming what is wrong with the key.
    @param office The two-letter office code, capital letters.
    @param number The number at that office.
    """
    assert len(office) == 2, "pool: office code must be two capital letters"
    code: Bytes[8] = convert(office, Bytes[8])
    for i: uint256 in range(2):
        c: uint256 = convert(slice(code, i, 1), uint256)
        assert c >= 65 and c <= 90, "pool: office code must be two capital letters"  # dev: A-Z

    assert len(number) != 0, "pool: patent number is empty"
    assert len(number) <= NUMBER_MAX_LENGTH, "pool: patent number is longer than 32 characters"
    text: Bytes[64] = convert(number, Bytes[64])
    for i: uint256 in range(len(text), bound=NUMBER_MAX_LENGTH):
        c: uint256 = convert(slice(text, i, 1), uint256)
        alnum: bool = (c >= 48 and c <= 57) or (c >= 65 and c <= 90)  # dev: 0-9, A-Z
        if i == 0:
            assert alnum, "pool: patent number must start with a letter or digit"
        assert alnum or c == 46 or c == 47 or c == 45, "pool: patent number may hold only 0-9, A-Z, '.', '/' and '-'"
