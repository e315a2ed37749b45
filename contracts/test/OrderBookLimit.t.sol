// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Deployment} from "./support/Deployment.sol";
import {OrderBook} from "../src/OrderBook.sol";

/// @notice Limit orders: the attested fill must meet the limit, nothing settles after `goodTill`, and
///         the owner may reclaim an expired order without waiting for the recovery window.
contract OrderBookLimitTest is Deployment {
    uint256 internal constant PRICE = 190e6; // USDC base units per whole share

    function setUp() public {
        _deploy();
        vm.prank(KEEPER);
        book.setSessionOpen(true);
    }

    function _limitSell(uint256 quantity, uint256 price, uint64 goodTill) internal returns (uint256 id) {
        vm.startPrank(HOLDER);
        aapl.approve(address(book), quantity);
        id = book.createRedeemLimit(
            address(aapl), quantity, address(usdc), 1, DEST, _terms(0), OrderBook.Limit(price, goodTill)
        );
        vm.stopPrank();
    }

    function _limitBuy(uint256 quantity, uint256 price, uint64 goodTill) internal returns (uint256 id) {
        vm.startPrank(BUYER);
        usdc.approve(address(book), type(uint256).max);
        id = book.createMintLimit(
            "AAPL", quantity, address(usdc), 10_000e6, DEST, _terms(0), OrderBook.Limit(price, goodTill)
        );
        vm.stopPrank();
    }

    function test_createLimit_recordsTheLimitAndRefusesAZeroPriceOrAPastGoodTill() public {
        uint64 goodTill = uint64(block.timestamp + 1 hours);
        uint256 id = _limitSell(2e6, PRICE, goodTill);
        OrderBook.Limit memory lim = book.limitOf(id);
        assertEq(lim.price, PRICE, "price");
        assertEq(lim.goodTill, goodTill, "good till");
        assertEq(book.limitOf(_redeem(HOLDER, 1e6, 1)).goodTill, 0, "a market order has no limit");

        OrderBook.Terms memory terms = _terms(0);
        vm.startPrank(HOLDER);
        aapl.approve(address(book), 2e6);
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookInvalidLimit.selector, 0, goodTill));
        book.createRedeemLimit(address(aapl), 1e6, address(usdc), 1, DEST, terms, OrderBook.Limit(0, goodTill));
        uint64 past = uint64(block.timestamp);
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookInvalidLimit.selector, PRICE, past));
        book.createRedeemLimit(address(aapl), 1e6, address(usdc), 1, DEST, terms, OrderBook.Limit(PRICE, past));
        vm.stopPrank();
        assertEq(aapl.balanceOf(HOLDER), 10e6 - 2e6 - 1e6, "a refused limit order takes nothing");
    }

    function test_limitSell_settlesAtOrAboveTheLimitOnly() public {
        uint256 id = _limitSell(2e6, PRICE, uint64(block.timestamp + 1 hours));
        // 2 shares at 190 need a gross of at least 380; one base unit less is refused.
        (OrderBook.Fill memory low, bytes memory lowSig) = _attest(id, 380e6 - 1);
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookLimitNotMet.selector, id, 380e6 - 1, 380e6));
        _settle(low, lowSig, 0);
        (OrderBook.Fill memory fill, bytes memory sig) = _attest(id, 380e6);
        _settle(fill, sig, 0);
        assertTrue(book.statusOf(id) == OrderBook.Status.SETTLED, "settled at the limit");
        assertEq(usdc.balanceOf(DEST), 380e6 - book.feeOf(380e6, book.minPlatformFeeBps()), "paid");
    }

    function test_limitBuy_settlesAtOrBelowTheLimitOnly() public {
        uint256 id = _limitBuy(3e6, PRICE, uint64(block.timestamp + 1 hours));
        (OrderBook.Fill memory high, bytes memory highSig) = _attest(id, 570e6 + 1);
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookLimitNotMet.selector, id, 570e6 + 1, 570e6));
        _settle(high, highSig, 0);
        (OrderBook.Fill memory fill, bytes memory sig) = _attest(id, 569e6);
        _settle(fill, sig, 0);
        assertEq(aapl.balanceOf(DEST), 3e6, "minted below the limit");
    }

    function test_expiredLimitOrder_cannotSettleAndTheOwnerReclaimsItAtOnce() public {
        uint64 goodTill = uint64(block.timestamp + 1 hours);
        uint256 id = _limitSell(2e6, PRICE, goodTill);
        (OrderBook.Fill memory fill, bytes memory sig) = _attestWith(ATTESTER_PK, id, 2e6, 400e6, 0, goodTill + 1 days);
        // Before goodTill the recovery window still holds the owner back.
        vm.prank(HOLDER);
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookRecoveryWindowNotElapsed.selector, id, goodTill + 1));
        book.userCancel(id);
        vm.warp(goodTill + 1);
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookOrderExpired.selector, id, goodTill));
        _settle(fill, sig, 0);
        // Well inside the one-day recovery window, the owner takes the tokens back.
        vm.prank(HOLDER);
        book.userCancel(id);
        assertEq(aapl.balanceOf(HOLDER), 10e6, "tokens back");
        assertEq(book.lockedOf(address(aapl)), 0, "nothing locked");
    }

    function test_expiredLimitMint_isCancelledByTheKeeperWithTheWholeLockBack() public {
        uint256 before = usdc.balanceOf(BUYER);
        uint64 goodTill = uint64(block.timestamp + 10 minutes);
        uint256 id = _limitBuy(1e6, PRICE, goodTill);
        vm.warp(goodTill + 1);
        vm.prank(KEEPER);
        book.cancel(id);
        assertEq(usdc.balanceOf(BUYER), before, "the whole lock back");
        assertEq(book.reservedOf(address(usdc)), 0, "nothing reserved");
    }

    /// @notice Whatever the limit, quantity and fill, a sell settles iff gross >= ceil(limit x qty),
    ///         a buy iff gross <= floor(limit x qty): the bound never rounds against the owner.
    function testFuzz_limitBoundRoundsInTheOwnersFavour(uint256 price, uint256 quantity, uint256 gross, bool sell)
        public
    {
        price = bound(price, 1, 1_000e6);
        quantity = bound(quantity, 1, 5e6);
        uint256 exact = price * quantity; // the limit notional times 1e6
        gross = bound(gross, 1, exact / 1e6 + 2);
        uint256 id = sell
            ? _limitSell(quantity, price, uint64(block.timestamp + 1 hours))
            : _limitBuy(quantity, price, uint64(block.timestamp + 1 hours));
        (OrderBook.Fill memory fill, bytes memory sig) = _attest(id, gross);
        bool meets = sell ? gross * 1e6 >= exact : gross * 1e6 <= exact;
        uint256 limitBound = sell ? (exact + 1e6 - 1) / 1e6 : exact / 1e6;
        uint256 payout = gross - book.feeOf(gross, book.minPlatformFeeBps());
        if (!meets) {
            vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookLimitNotMet.selector, id, gross, limitBound));
            _settle(fill, sig, 0);
            assertTrue(book.statusOf(id) == OrderBook.Status.ACTIVE, "still open");
        } else if (sell && payout < 1) {
            // It meets the limit but pays less than the order's minimum of one base unit.
            vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookPayoutBelowMinimum.selector, id, payout, 1));
            _settle(fill, sig, 0);
        } else {
            _settle(fill, sig, 0);
            assertTrue(book.statusOf(id) == OrderBook.Status.SETTLED, "settled");
        }
    }
}
