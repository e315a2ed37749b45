// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {TestBase} from "./support/Vm.sol";
import {TestSmartWallet} from "./devnet/TestSmartWallet.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

/// @notice The API's wallet-link proof (api/wallet/WalletLinkMessage), encoded here from the
/// EIP-712 definitions with Solidity's own abi.encode and keccak256: the digest must equal the one
/// web3j's StructuredDataEncoder gives for the same message (WalletLinkMessageTest.DIGEST). And the
/// ERC-1271 test wallet accepts its owner's signature and nothing else, as SignatureChecker sees it.
contract WalletLinkDigestTest is TestBase {
    bytes32 constant DOMAIN_TYPEHASH = keccak256("EIP712Domain(string name,string version,uint256 chainId)");
    bytes32 constant LINK_TYPEHASH = keccak256(
        "WalletLink(string statement,string tenant,address wallet,bytes32 nonce,uint64 issuedAt,uint64 expiresAt)"
    );
    string constant STATEMENT = "Link this wallet to the tenant on Lockstep, so that it can see and act on this wallet's"
        " orders and positions. Signing sends no transaction and costs nothing.";

    function digest(
        uint256 chainId,
        string memory tenant,
        address wallet,
        bytes32 nonce,
        uint64 issuedAt,
        uint64 expiresAt
    ) internal pure returns (bytes32) {
        bytes32 domain = keccak256(abi.encode(DOMAIN_TYPEHASH, keccak256("Lockstep"), keccak256("1"), chainId));
        bytes32 structHash = keccak256(
            abi.encode(
                LINK_TYPEHASH, keccak256(bytes(STATEMENT)), keccak256(bytes(tenant)), wallet, nonce, issuedAt, expiresAt
            )
        );
        return keccak256(abi.encodePacked("\x19\x01", domain, structHash));
    }

    function test_digestEqualsTheApisForTheSameMessage() public pure {
        bytes32 d = digest(
            8453, "ten_demo", 0x70997970C51812dc3A010C7d01b50e0d17dc79C8, bytes32(uint256(1)), 1767225600, 1767226200
        );
        require(d == 0x16d74a1ea090d41c62c98b73f863a08b9b4bb30929447da01442cb90c640eec6, "digest differs from web3j's");
    }

    function test_smartWalletAcceptsItsOwnersSignatureOnly() public {
        uint256 ownerKey = 0xA11CE;
        uint256 otherKey = 0xB0B;
        address owner = vm.addr(ownerKey);
        TestSmartWallet wallet = new TestSmartWallet(owner);
        bytes32 d = digest(8453, "ten_demo", address(wallet), bytes32(uint256(7)), 1767225600, 1767226200);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ownerKey, d);
        require(SignatureChecker.isValidSignatureNow(address(wallet), d, abi.encodePacked(r, s, v)), "owner refused");
        (v, r, s) = vm.sign(otherKey, d);
        require(!SignatureChecker.isValidSignatureNow(address(wallet), d, abi.encodePacked(r, s, v)), "other accepted");
        require(!SignatureChecker.isValidSignatureNow(address(wallet), d, hex"00"), "garbage accepted");
    }
}
