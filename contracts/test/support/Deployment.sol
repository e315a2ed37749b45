// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AssetTokenFactory} from "../../src/AssetTokenFactory.sol";
import {AssetToken} from "../../src/AssetToken.sol";
import {OrderBook} from "../../src/OrderBook.sol";
import {TestStablecoin} from "../devnet/TestStablecoin.sol";
import {IAssetTokenFactory} from "../../src/IAssetTokenFactory.sol";
import {TestBase} from "./Vm.sol";

/// @notice The contract set wired as the sandbox wires it: admin, keeper (minter, keeper role), the
///         broker's attester (attester role, a key of its own), order book (burner), a funded USDC
///         payout pool.
abstract contract Deployment is TestBase {
    address internal constant ADMIN = address(0xAD);
    address internal constant KEEPER = address(0xBEEF);
    address internal constant HOLDER = address(0x1111);
    address internal constant DEST = address(0x2222);
    uint64 internal constant RECOVERY_WINDOW = 1 days;
    uint256 internal constant POOL = 1_000_000e6;
    uint256 internal constant ATTESTER_PK = 0xA77E57;
    uint256 internal constant OTHER_PK = 0x0BAD;
    address internal ATTESTER;

    AssetTokenFactory internal factory;
    OrderBook internal book;
    TestStablecoin internal usdc;
    AssetToken internal aapl;

    function _deploy() internal {
        ATTESTER = vm.addr(ATTESTER_PK);
        factory = new AssetTokenFactory(ADMIN);
        book = new OrderBook(ADMIN, IAssetTokenFactory(address(factory)), RECOVERY_WINDOW);
        usdc = new TestStablecoin("USD Coin", "USDC", ADMIN);
        vm.startPrank(ADMIN);
        factory.grantRole(factory.MINTER_ROLE(), KEEPER);
        factory.grantRole(factory.PAUSER_ROLE(), KEEPER);
        factory.grantRole(factory.BURNER_ROLE(), address(book));
        book.grantRole(book.KEEPER_ROLE(), KEEPER);
        book.grantRole(book.ATTESTER_ROLE(), ATTESTER);
        book.setPayoutCurrency(address(usdc), true);
        usdc.mint(address(book), POOL);
        vm.stopPrank();
        vm.prank(KEEPER);
        aapl = AssetToken(factory.mint("AAPL", HOLDER, 10e6));
    }

    /// @notice The attester's fill of order `id` at `gross` (no costs), valid for an hour.
    function _attest(uint256 id, uint256 gross) internal view returns (OrderBook.Fill memory fill, bytes memory sig) {
        return _attestWith(ATTESTER_PK, id, book.getOrder(id).quantity, gross, 0, uint64(block.timestamp + 1 hours));
    }

    /// @notice A fill signed with `pk`.
    function _attestWith(uint256 pk, uint256 id, uint256 quantity, uint256 gross, uint256 costs, uint64 expiry)
        internal
        view
        returns (OrderBook.Fill memory fill, bytes memory sig)
    {
        fill = OrderBook.Fill(id, quantity, gross, costs, expiry);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, book.fillDigest(fill));
        sig = abi.encodePacked(r, s, v);
    }

    function _redeem(address holder, uint256 quantity, uint256 minNotional) internal returns (uint256 id) {
        vm.startPrank(holder);
        aapl.approve(address(book), quantity);
        id = book.createRedeem(address(aapl), quantity, address(usdc), minNotional, DEST);
        vm.stopPrank();
    }
}
