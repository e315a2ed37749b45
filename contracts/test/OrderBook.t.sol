// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Deployment} from "./support/Deployment.sol";
import {OrderBook} from "../src/OrderBook.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

contract OrderBookTest is Deployment {
    function setUp() public {
        _deploy();
    }

    function _openSession() internal {
        vm.prank(KEEPER);
        book.setSessionOpen(true);
    }

    function test_createRedeem_locksTokensAndQueuesOutOfSession() public {
        uint256 id = _redeem(HOLDER, 4e6, 700e6);
        OrderBook.Order memory o = book.getOrder(id);
        assertEq(id, 1, "first id");
        assertTrue(o.status == OrderBook.Status.QUEUED, "queued");
        assertEq(o.owner, HOLDER, "owner");
        assertEq(o.quantity, 4e6, "quantity");
        assertEq(aapl.balanceOf(HOLDER), 6e6, "holder debited");
        assertEq(aapl.balanceOf(address(book)), 4e6, "book holds");
        assertEq(book.lockedOf(address(aapl)), 4e6, "locked");
    }

    function test_createRedeem_isActiveInSession() public {
        _openSession();
        uint256 id = _redeem(HOLDER, 1e6, 1);
        assertTrue(book.statusOf(id) == OrderBook.Status.ACTIVE, "active");
    }

    function test_createRedeem_revertsOnZeroQuantityUnknownTokenOrCurrency() public {
        vm.startPrank(HOLDER);
        vm.expectRevert(OrderBook.OrderBookZeroQuantity.selector);
        book.createRedeem(address(aapl), 0, address(usdc), 0, DEST);
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookUnknownToken.selector, address(usdc)));
        book.createRedeem(address(usdc), 1, address(usdc), 0, DEST);
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookPayoutCurrencyNotAccepted.selector, address(aapl)));
        book.createRedeem(address(aapl), 1, address(aapl), 0, DEST);
        vm.expectRevert(OrderBook.OrderBookInvalidDestination.selector);
        book.createRedeem(address(aapl), 1, address(usdc), 1, address(0));
        vm.expectRevert(OrderBook.OrderBookZeroNotionalBound.selector);
        book.createRedeem(address(aapl), 1, address(usdc), 0, DEST);
        vm.stopPrank();
    }

    function test_promote_makesQueuedActive_onlyOnce() public {
        uint256 id = _redeem(HOLDER, 1e6, 1);
        vm.prank(KEEPER);
        book.promote(id);
        assertTrue(book.statusOf(id) == OrderBook.Status.ACTIVE, "active");
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookOrderNotQueued.selector, id, OrderBook.Status.ACTIVE));
        vm.prank(KEEPER);
        book.promote(id);
    }

    function test_settle_burnsLockedTokensAndPaysDestination() public {
        _openSession();
        uint256 id = _redeem(HOLDER, 4e6, 700e6);
        uint256 supplyBefore = aapl.totalSupply();
        (OrderBook.Fill memory fill, bytes memory sig) = _attest(id, 749_680_000);
        vm.prank(KEEPER);
        book.settle(fill, ATTESTER, sig, 0);
        assertTrue(book.statusOf(id) == OrderBook.Status.SETTLED, "settled");
        assertEq(aapl.totalSupply(), supplyBefore - 4e6, "burned exactly the locked quantity");
        assertEq(aapl.balanceOf(address(book)), 0, "nothing left locked");
        assertEq(usdc.balanceOf(DEST), 749_680_000, "paid");
        assertEq(usdc.balanceOf(address(book)), POOL - 749_680_000, "pool debited");
    }

    function test_settle_revertsIfNotActive() public {
        uint256 id = _redeem(HOLDER, 1e6, 1);
        (OrderBook.Fill memory fill, bytes memory sig) = _attest(id, 1);
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookOrderNotActive.selector, id, OrderBook.Status.QUEUED));
        vm.prank(KEEPER);
        book.settle(fill, ATTESTER, sig, 0);
    }

    function test_settle_revertsIfPayoutBelowMinimum() public {
        _openSession();
        uint256 id = _redeem(HOLDER, 1e6, 100e6);
        (OrderBook.Fill memory fill, bytes memory sig) = _attest(id, 99e6);
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookPayoutBelowMinimum.selector, id, 99e6, 100e6));
        vm.prank(KEEPER);
        book.settle(fill, ATTESTER, sig, 0);
        assertTrue(book.statusOf(id) == OrderBook.Status.ACTIVE, "still active");
    }

    function test_settle_revertsIfPoolCannotPay() public {
        _openSession();
        uint256 id = _redeem(HOLDER, 1e6, 1);
        (OrderBook.Fill memory fill, bytes memory sig) = _attest(id, POOL + 1);
        vm.expectRevert(
            abi.encodeWithSelector(OrderBook.OrderBookInsufficientLiquidity.selector, address(usdc), POOL, POOL + 1)
        );
        vm.prank(KEEPER);
        book.settle(fill, ATTESTER, sig, 0);
    }

    function test_settle_revertsWithoutKeeperRole() public {
        _openSession();
        uint256 id = _redeem(HOLDER, 1e6, 1);
        (OrderBook.Fill memory fill, bytes memory sig) = _attest(id, 1);
        bytes32 keeperRole = book.KEEPER_ROLE();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, HOLDER, keeperRole)
        );
        vm.prank(HOLDER);
        book.settle(fill, ATTESTER, sig, 0);
    }

    function test_settle_isFinal() public {
        _openSession();
        uint256 id = _redeem(HOLDER, 1e6, 1);
        (OrderBook.Fill memory fill, bytes memory sig) = _attest(id, 1e6);
        vm.startPrank(KEEPER);
        book.settle(fill, ATTESTER, sig, 0);
        vm.expectRevert(
            abi.encodeWithSelector(OrderBook.OrderBookOrderNotActive.selector, id, OrderBook.Status.SETTLED)
        );
        book.settle(fill, ATTESTER, sig, 0);
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookOrderNotOpen.selector, id, OrderBook.Status.SETTLED));
        book.cancel(id);
        vm.stopPrank();
    }

    function test_cancel_returnsTokensAndIsFinal() public {
        _openSession();
        uint256 id = _redeem(HOLDER, 3e6, 1);
        vm.prank(KEEPER);
        book.cancel(id);
        assertTrue(book.statusOf(id) == OrderBook.Status.CANCELLED, "cancelled");
        assertEq(aapl.balanceOf(HOLDER), 10e6, "tokens back");
        assertEq(book.lockedOf(address(aapl)), 0, "unlocked");
        (OrderBook.Fill memory fill, bytes memory sig) = _attest(id, 1);
        vm.expectRevert(
            abi.encodeWithSelector(OrderBook.OrderBookOrderNotActive.selector, id, OrderBook.Status.CANCELLED)
        );
        vm.prank(KEEPER);
        book.settle(fill, ATTESTER, sig, 0);
    }

    function test_cancel_worksOnQueuedOrders() public {
        uint256 id = _redeem(HOLDER, 3e6, 1);
        vm.prank(KEEPER);
        book.cancel(id);
        assertEq(aapl.balanceOf(HOLDER), 10e6, "tokens back");
    }

    function test_userCancel_revertsBeforeRecoveryWindow() public {
        vm.warp(1_000_000);
        uint256 id = _redeem(HOLDER, 1e6, 1);
        vm.warp(1_000_000 + RECOVERY_WINDOW - 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                OrderBook.OrderBookRecoveryWindowNotElapsed.selector, id, 1_000_000 + RECOVERY_WINDOW
            )
        );
        vm.prank(HOLDER);
        book.userCancel(id);
    }

    function test_userCancel_returnsTokensAfterRecoveryWindow() public {
        vm.warp(1_000_000);
        uint256 id = _redeem(HOLDER, 2e6, 1);
        vm.warp(1_000_000 + RECOVERY_WINDOW);
        vm.prank(HOLDER);
        book.userCancel(id);
        assertTrue(book.statusOf(id) == OrderBook.Status.CANCELLED, "cancelled");
        assertEq(aapl.balanceOf(HOLDER), 10e6, "tokens back");
    }

    function test_userCancel_revertsForNonOwner() public {
        uint256 id = _redeem(HOLDER, 1e6, 1);
        vm.warp(block.timestamp + RECOVERY_WINDOW);
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookNotOrderOwner.selector, id, DEST));
        vm.prank(DEST);
        book.userCancel(id);
    }

    function testFuzz_settle_paysExactlyGrossAndBurnsExactlyLocked(uint256 quantity, uint256 gross, uint256 minN)
        public
    {
        quantity = bound(quantity, 1, 10e6);
        gross = bound(gross, 0, POOL);
        minN = bound(minN, 1, POOL);
        _openSession();
        uint256 id = _redeem(HOLDER, quantity, minN);
        uint256 supply = aapl.totalSupply();
        (OrderBook.Fill memory fill, bytes memory sig) = _attest(id, gross);
        if (gross < minN) {
            vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookPayoutBelowMinimum.selector, id, gross, minN));
            vm.prank(KEEPER);
            book.settle(fill, ATTESTER, sig, 0);
            assertEq(aapl.totalSupply(), supply, "nothing burned");
            assertEq(book.lockedOf(address(aapl)), quantity, "still locked");
        } else {
            vm.prank(KEEPER);
            book.settle(fill, ATTESTER, sig, 0);
            assertEq(aapl.totalSupply(), supply - quantity, "burned");
            assertEq(usdc.balanceOf(DEST), gross, "paid");
            assertEq(book.lockedOf(address(aapl)), 0, "unlocked");
        }
    }

    function test_settle_refusesAFillSignedByAnyoneButAnAttester() public {
        _openSession();
        uint256 id = _redeem(HOLDER, 1e6, 1);
        (OrderBook.Fill memory forged, bytes memory forgedSig) =
            _attestWith(OTHER_PK, id, 1e6, 1e6, 0, uint64(block.timestamp + 1));
        address other = vm.addr(OTHER_PK);
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookFillNotAttested.selector, id, other));
        vm.prank(KEEPER);
        book.settle(forged, other, forgedSig, 0);
        // The attester's role named, another key's signature: refused too.
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookFillNotAttested.selector, id, ATTESTER));
        vm.prank(KEEPER);
        book.settle(forged, ATTESTER, forgedSig, 0);
        // The keeper altering an attested amount breaks the signature.
        (OrderBook.Fill memory fill, bytes memory sig) = _attest(id, 1e6);
        fill.grossNotional = 2e6;
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookFillNotAttested.selector, id, ATTESTER));
        vm.prank(KEEPER);
        book.settle(fill, ATTESTER, sig, 0);
        assertTrue(book.statusOf(id) == OrderBook.Status.ACTIVE, "still active");
        assertEq(usdc.balanceOf(DEST), 0, "nothing paid");
    }

    function test_settle_refusesAnExpiredFillOrAnotherQuantity() public {
        _openSession();
        uint256 id = _redeem(HOLDER, 2e6, 1);
        (OrderBook.Fill memory stale, bytes memory staleSig) =
            _attestWith(ATTESTER_PK, id, 2e6, 1e6, 0, uint64(block.timestamp + 10));
        vm.warp(block.timestamp + 11);
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookFillExpired.selector, id, stale.expiry));
        vm.prank(KEEPER);
        book.settle(stale, ATTESTER, staleSig, 0);
        (OrderBook.Fill memory half, bytes memory halfSig) =
            _attestWith(ATTESTER_PK, id, 1e6, 1e6, 0, uint64(block.timestamp + 10));
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookFillQuantityMismatch.selector, id, 1e6, 2e6));
        vm.prank(KEEPER);
        book.settle(half, ATTESTER, halfSig, 0);
    }

    function test_settle_paysGrossMinusCostsAndAFillIsUsedOnce() public {
        _openSession();
        uint256 id = _redeem(HOLDER, 1e6, 100e6);
        (OrderBook.Fill memory fill, bytes memory sig) =
            _attestWith(ATTESTER_PK, id, 1e6, 187_420_000, 1_500_000, uint64(block.timestamp + 60));
        vm.prank(KEEPER);
        book.settle(fill, ATTESTER, sig, 0);
        assertEq(usdc.balanceOf(DEST), 185_920_000, "gross minus costs");
        // Costs above the minimum's headroom revert with the named error.
        uint256 id2 = _redeem(HOLDER, 1e6, 100e6);
        (OrderBook.Fill memory costly, bytes memory costlySig) =
            _attestWith(ATTESTER_PK, id2, 1e6, 150e6, 60e6, uint64(block.timestamp + 60));
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookPayoutBelowMinimum.selector, id2, 90e6, 100e6));
        vm.prank(KEEPER);
        book.settle(costly, ATTESTER, costlySig, 0);
    }
}
