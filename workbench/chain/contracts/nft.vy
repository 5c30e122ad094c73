# pragma version ~=0.4.0
"""
@title ERC-721 non-fungible token (EIP-721) with ERC-165 interface detection
@notice Only the deployer mints. supportsInterface answers ERC-165 (0x01ffc9a7),
        ERC-721 (0x80ac58cd) and ERC-721 metadata (0x5b5e139f).
"""
from ethereum.ercs import IERC165
from ethereum.ercs import IERC721

implements: IERC165
implements: IERC721

interface IERC721Receiver:
    def onERC721Received(_operator: address, _from: address, _tokenId: uint256, _data: Bytes[1024]) -> bytes4: nonpayable

event Transfer:
    sender: indexed(address)
    receiver: indexed(address)
    token_id: indexed(uint256)

event Approval:
    owner: indexed(address)
    approved: indexed(address)
    token_id: indexed(uint256)

event ApprovalForAll:
    owner: indexed(address)
    operator: indexed(address)
    approved: bool

SUPPORTED: constant(bytes4[3]) = [0x01ffc9a7, 0x80ac58cd, 0x5b5e139f]

name: public(String[32])
symbol: public(String[8])
minter: public(address)
totalSupply: public(uint256)
owner_of: HashMap[uint256, address]
balance_of: HashMap[address, uint256]
getApproved: public(HashMap[uint256, address])
isApprovedForAll: public(HashMap[address, HashMap[address, bool]])
uri: HashMap[uint256, String[128]]


@deploy
def __init__(_name: String[32], _symbol: String[8]):
    self.name = _name
    self.symbol = _symbol
    self.minter = msg.sender


@view
@external
def supportsInterface(interface_id: bytes4) -> bool:
    return interface_id in SUPPORTED


@view
@external
def ownerOf(_tokenId: uint256) -> address:
    owner: address = self.owner_of[_tokenId]
    assert owner != empty(address), "ERC721: token does not exist"
    return owner


@view
@external
def balanceOf(_owner: address) -> uint256:
    assert _owner != empty(address), "ERC721: zero address"
    return self.balance_of[_owner]


@view
@external
def tokenURI(_tokenId: uint256) -> String[128]:
    assert self.owner_of[_tokenId] != empty(address), "ERC721: token does not exist"
    return self.uri[_tokenId]


@external
def mint(_to: address, _tokenId: uint256, _uri: String[128]) -> bool:
    assert msg.sender == self.minter, "ERC721: only the minter mints"
    assert _to != empty(address), "ERC721: mint to the zero address"
    assert self.owner_of[_tokenId] == empty(address), "ERC721: token already minted"
    self.owner_of[_tokenId] = _to
    self.balance_of[_to] += 1
    self.uri[_tokenId] = _uri
    self.totalSupply += 1
    log Transfer(sender=empty(address), receiver=_to, token_id=_tokenId)
    return True


@internal
def _transfer(_from: address, _to: address, _tokenId: uint256, _sender: address):
    owner: address = self.owner_of[_tokenId]
    assert owner != empty(address), "ERC721: token does not exist"
    assert owner == _from, "ERC721: from is not the owner"
    assert _to != empty(address), "ERC721: transfer to the zero address"
    assert (_sender == owner or self.getApproved[_tokenId] == _sender
            or self.isApprovedForAll[owner][_sender]), "ERC721: caller is not owner nor approved"
    self.getApproved[_tokenId] = empty(address)
    self.balance_of[_from] -= 1
    self.balance_of[_to] += 1
    self.owner_of[_tokenId] = _to
    log Transfer(sender=_from, receiver=_to, token_id=_tokenId)


@external
@payable
def transferFrom(_from: address, _to: address, _tokenId: uint256):
    self._transfer(_from, _to, _tokenId, msg.sender)


@external
@payable
def safeTransferFrom(_from: address, _to: address, _tokenId: uint256, _data: Bytes[1024] = b""):
    self._transfer(_from, _to, _tokenId, msg.sender)
    if _to.is_contract:
        ret: bytes4 = extcall IERC721Receiver(_to).onERC721Received(msg.sender, _from, _tokenId, _data)
        assert ret == method_id("onERC721Received(address,address,uint256,bytes)", output_type=bytes4), \
            "ERC721: receiver rejected the token"


@external
@payable
def approve(_approved: address, _tokenId: uint256):
    owner: address = self.owner_of[_tokenId]
    assert owner != empty(address), "ERC721: token does not exist"
    assert msg.sender == owner or self.isApprovedForAll[owner][msg.sender], "ERC721: not owner nor operator"
    self.getApproved[_tokenId] = _approved
    log Approval(owner=owner, approved=_approved, token_id=_tokenId)


@external
def setApprovalForAll(_operator: address, _approved: bool):
    self.isApprovedForAll[msg.sender][_operator] = _approved
    log ApprovalForAll(owner=msg.sender, operator=_operator, approved=_approved)
