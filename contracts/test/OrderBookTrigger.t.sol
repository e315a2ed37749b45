// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Deployment} from "./support/Deployment.sol";
import {OrderBook} from "../src/OrderBook.sol";
import {AssetToken} from "../src/AssetToken.sol";
import {TestStablecoin} from "./devnet/TestStablecoin.sol";
import {TestBase} from "./support/Vm.sol";

/// @notice Trigger sells (stop-loss, take-profit) and OCO pairs: created ARMED, triggered only when
///         the stated mark meets the trigger, one lock per pair, and at most one leg of a pair fills.
contract OrderBookTriggerTest is Deployment {
    uint256 internal constant STOP = 180e6; // USDC base units per whole share
    uint256 internal constant TAKE = 220e6;

    function setUp() public {
        _deploy();
        vm.prank(KEEPER);
        book.setSessionOpen(true);
    }

    function _goodTill() internal view returns (uint64) {
        return uint64(block.timestamp + 7 days);
    }

    function _trigger(OrderBook.TriggerKind kind, uint256 quantity, uint256 price) internal returns (uint256 id) {
        OrderBook.Terms memory terms = _terms(0);
        OrderBook.Trigger memory t = OrderBook.Trigger(kind, price, _goodTill());
        vm.startPrank(HOLDER);
        aapl.approve(address(book), quantity);
        id = book.createRedeemTrigger(address(aapl), quantity, address(usdc), 1, DEST, terms, t);
        vm.stopPrank();
    }

    function _oco(uint256 quantity, OrderBook.Terms memory terms) internal returns (uint256 stopId, uint256 tpId) {
        OrderBook.Oco memory oco = OrderBook.Oco(STOP, TAKE, _goodTill());
        vm.startPrank(HOLDER);
        aapl.approve(address(book), quantity);
        usdc.approve(address(book), type(uint256).max);
        (stopId, tpId) = book.createRedeemOco(address(aapl), quantity, address(usdc), 1, DEST, terms, oco);
        vm.stopPrank();
    }

    function _fire(uint256 id, uint256 mark) internal {
        vm.prank(KEEPER);
        book.trigger(id, mark);
    }

    function test_stopLoss_isArmedUntilTheMarkFallsToItsPrice_thenSettlesAtTheMarket() public {
        uint256 id = _trigger(OrderBook.TriggerKind.STOP_LOSS, 2e6, STOP);
        assertTrue(book.statusOf(id) == OrderBook.Status.ARMED, "created armed");
        assertEq(book.lockedOf(address(aapl)), 2e6, "tokens locked at creation");
        (OrderBook.Trigger memory t, uint256 peer) = book.triggerOf(id);
        assertTrue(t.kind == OrderBook.TriggerKind.STOP_LOSS, "kind");
        assertEq(t.price, STOP, "price");
        assertEq(peer, 0, "no peer");

        // Armed: not promotable, not settleable.
        vm.prank(KEEPER);
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookOrderNotQueued.selector, id, OrderBook.Status.ARMED));
        book.promote(id);
        (OrderBook.Fill memory early, bytes memory earlySig) = _attest(id, 350e6);
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookOrderNotActive.selector, id, OrderBook.Status.ARMED));
        _settle(early, earlySig, 0);

        vm.prank(KEEPER);
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookTriggerNotReached.selector, id, STOP + 1, STOP));
        book.trigger(id, STOP + 1);
        _fire(id, STOP);
        assertTrue(book.statusOf(id) == OrderBook.Status.ACTIVE, "active once triggered in session");
        // A stop-loss sells at the market: below its trigger price too.
        (OrderBook.Fill memory fill, bytes memory sig) = _attest(id, 340e6);
        _settle(fill, sig, 0);
        assertTrue(book.statusOf(id) == OrderBook.Status.SETTLED, "settled");
        assertEq(aapl.balanceOf(address(book)), 0, "burnt");
    }

    function test_takeProfit_triggersAtOrAboveItsPrice_andSettlesOnlyAtItsPrice() public {
        uint256 id = _trigger(OrderBook.TriggerKind.TAKE_PROFIT, 2e6, TAKE);
        vm.prank(KEEPER);
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookTriggerNotReached.selector, id, TAKE - 1, TAKE));
        book.trigger(id, TAKE - 1);
        _fire(id, TAKE + 5e6);
        (OrderBook.Fill memory low, bytes memory lowSig) = _attest(id, 440e6 - 1);
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookLimitNotMet.selector, id, 440e6 - 1, 440e6));
        _settle(low, lowSig, 0);
        (OrderBook.Fill memory fill, bytes memory sig) = _attest(id, 440e6);
        _settle(fill, sig, 0);
        assertTrue(book.statusOf(id) == OrderBook.Status.SETTLED, "settled at its price");
    }

    function test_triggerOutOfSession_queuesTheOrder() public {
        uint256 id = _trigger(OrderBook.TriggerKind.STOP_LOSS, 1e6, STOP);
        vm.prank(KEEPER);
        book.setSessionOpen(false);
        _fire(id, STOP - 1e6);
        assertTrue(book.statusOf(id) == OrderBook.Status.QUEUED, "queued until the venue opens");
        vm.prank(KEEPER);
        book.promote(id);
        assertTrue(book.statusOf(id) == OrderBook.Status.ACTIVE, "promoted");
    }

    function test_invalidTriggers_areRefusedAndTakeNothing() public {
        OrderBook.Terms memory terms = _terms(0);
        uint64 till = _goodTill();
        uint64 past = uint64(block.timestamp);
        vm.startPrank(HOLDER);
        aapl.approve(address(book), 10e6);
        vm.expectRevert(
            abi.encodeWithSelector(OrderBook.OrderBookInvalidTrigger.selector, OrderBook.TriggerKind.NONE, STOP, till)
        );
        book.createRedeemTrigger(
            address(aapl), 1e6, address(usdc), 1, DEST, terms, OrderBook.Trigger(OrderBook.TriggerKind.NONE, STOP, till)
        );
        vm.expectRevert(
            abi.encodeWithSelector(OrderBook.OrderBookInvalidTrigger.selector, OrderBook.TriggerKind.STOP_LOSS, 0, till)
        );
        book.createRedeemTrigger(
            address(aapl),
            1e6,
            address(usdc),
            1,
            DEST,
            terms,
            OrderBook.Trigger(OrderBook.TriggerKind.STOP_LOSS, 0, till)
        );
        vm.expectRevert(
            abi.encodeWithSelector(
                OrderBook.OrderBookInvalidTrigger.selector, OrderBook.TriggerKind.STOP_LOSS, STOP, past
            )
        );
        book.createRedeemTrigger(
            address(aapl),
            1e6,
            address(usdc),
            1,
            DEST,
            terms,
            OrderBook.Trigger(OrderBook.TriggerKind.STOP_LOSS, STOP, past)
        );
        vm.expectRevert(
            abi.encodeWithSelector(
                OrderBook.OrderBookInvalidTrigger.selector, OrderBook.TriggerKind.TAKE_PROFIT, STOP, till
            )
        );
        book.createRedeemOco(address(aapl), 1e6, address(usdc), 1, DEST, terms, OrderBook.Oco(STOP, STOP, till));
        vm.stopPrank();
        assertEq(aapl.balanceOf(HOLDER), 10e6, "nothing taken");
        assertEq(book.nextOrderId(), 1, "nothing created");
    }

    function test_armedOrder_ownerCancelsAtOnce_andExpiredOneCannotTrigger() public {
        uint256 id = _trigger(OrderBook.TriggerKind.STOP_LOSS, 2e6, STOP);
        vm.prank(HOLDER);
        book.userCancel(id);
        assertEq(aapl.balanceOf(HOLDER), 10e6, "refunded without waiting for the recovery window");

        uint256 late = _trigger(OrderBook.TriggerKind.STOP_LOSS, 1e6, STOP);
        (OrderBook.Trigger memory t,) = book.triggerOf(late);
        vm.warp(t.goodTill + 1);
        vm.prank(KEEPER);
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookOrderExpired.selector, late, t.goodTill));
        book.trigger(late, STOP);
        vm.prank(KEEPER);
        book.cancel(late);
        assertEq(aapl.balanceOf(HOLDER), 10e6, "expired order cancelled and refunded");
    }

    function test_oco_locksOnce_triggerOfOneLegCancelsTheOther_whichCanNeverFill() public {
        (uint256 stopId, uint256 tpId) = _oco(3e6, _terms(0));
        assertEq(tpId, stopId + 1, "consecutive ids");
        assertEq(aapl.balanceOf(HOLDER), 7e6, "one lock for the pair");
        assertEq(book.lockedOf(address(aapl)), 3e6, "locked once");
        (, uint256 peer) = book.triggerOf(stopId);
        assertEq(peer, tpId, "stop names its peer");
        (, peer) = book.triggerOf(tpId);
        assertEq(peer, stopId, "take-profit names its peer");

        _fire(tpId, TAKE);
        assertTrue(book.statusOf(stopId) == OrderBook.Status.CANCELLED, "the stop leg is cancelled");
        assertEq(aapl.balanceOf(HOLDER), 7e6, "without a refund: the lock is the take-profit's");
        vm.prank(KEEPER);
        vm.expectRevert(
            abi.encodeWithSelector(OrderBook.OrderBookOrderNotArmed.selector, stopId, OrderBook.Status.CANCELLED)
        );
        book.trigger(stopId, STOP);
        (OrderBook.Fill memory stopFill, bytes memory stopSig) = _attest(stopId, 540e6);
        vm.expectRevert(
            abi.encodeWithSelector(OrderBook.OrderBookOrderNotActive.selector, stopId, OrderBook.Status.CANCELLED)
        );
        _settle(stopFill, stopSig, 0);

        (OrderBook.Fill memory fill, bytes memory sig) = _attest(tpId, 660e6);
        _settle(fill, sig, 0);
        assertEq(aapl.balanceOf(address(book)), 0, "the pair's tokens burnt once");
        assertEq(book.lockedOf(address(aapl)), 0, "nothing locked");
        assertEq(aapl.totalSupply(), 7e6, "3 shares burnt");
    }

    function test_oco_cancellingEitherLegCancelsBoth_andRefundsTheLockAndDepositOnce() public {
        OrderBook.Terms memory terms =
            OrderBook.Terms(book.minPlatformFeeBps(), 0, address(0), OrderBook.GasSponsor.DEVELOPER, 2e6);
        vm.prank(BUYER);
        usdc.transfer(HOLDER, 10e6);
        (uint256 stopId, uint256 tpId) = _oco(3e6, terms);
        assertEq(usdc.balanceOf(HOLDER), 8e6, "one gas deposit for the pair");
        assertEq(book.reservedOf(address(usdc)), 2e6, "reserved once");
        vm.prank(HOLDER);
        book.userCancel(tpId); // the leg that does not hold the deposit
        assertTrue(book.statusOf(stopId) == OrderBook.Status.CANCELLED, "stop cancelled");
        assertTrue(book.statusOf(tpId) == OrderBook.Status.CANCELLED, "take-profit cancelled");
        assertEq(aapl.balanceOf(HOLDER), 10e6, "tokens back once");
        assertEq(usdc.balanceOf(HOLDER), 10e6, "deposit back once");
        assertEq(book.reservedOf(address(usdc)), 0, "nothing reserved");
    }

    function test_oco_triggeredLegTakesTheDeposit_andABrokerFailureRefundsOnce() public {
        OrderBook.Terms memory terms =
            OrderBook.Terms(book.minPlatformFeeBps(), 0, address(0), OrderBook.GasSponsor.DEVELOPER, 2e6);
        vm.prank(BUYER);
        usdc.transfer(HOLDER, 10e6);
        (uint256 stopId, uint256 tpId) = _oco(3e6, terms);
        _fire(tpId, TAKE);
        assertEq(book.getOrder(tpId).gasDeposit, 2e6, "the deposit moved to the triggered leg");
        assertEq(book.getOrder(stopId).gasDeposit, 0, "none left on the cancelled leg");
        vm.prank(KEEPER);
        book.cancel(tpId); // the broker leg failed
        assertEq(aapl.balanceOf(HOLDER), 10e6, "tokens back once");
        assertEq(usdc.balanceOf(HOLDER), 10e6, "deposit back once");
        vm.prank(KEEPER);
        vm.expectRevert(
            abi.encodeWithSelector(OrderBook.OrderBookOrderNotOpen.selector, stopId, OrderBook.Status.CANCELLED)
        );
        book.cancel(stopId);
    }
}

/// @notice Random sequences over OCO pairs: triggers of either leg at random marks, keeper cancels,
///         owner cancels, settles at random fills, clock moves. Ghost counters record what happened.
contract OcoHandler is TestBase {
    OrderBook internal immutable book;
    AssetToken internal immutable token;
    TestStablecoin internal immutable usdc;
    address internal immutable keeper;
    uint256 internal immutable attesterPk;
    address internal constant HOLDER = address(0x1111);
    address internal constant DEST = address(0x2222);

    uint256[] public stopIds;
    uint256 public ghostLocked;
    uint256 public ghostBurned;
    uint256 public triggers;
    uint256 public settles;
    uint256 public cancels;
    mapping(uint256 stopId => uint256) public fills;

    constructor(OrderBook book_, AssetToken token_, TestStablecoin usdc_, address keeper_, uint256 attesterPk_) {
        book = book_;
        token = token_;
        usdc = usdc_;
        keeper = keeper_;
        attesterPk = attesterPk_;
    }

    function pairCount() external view returns (uint256) {
        return stopIds.length;
    }

    function createPair(uint256 quantity, uint256 stop, uint256 spread) external {
        uint256 balance = token.balanceOf(HOLDER);
        if (balance == 0) return;
        quantity = bound(quantity, 1, balance);
        stop = bound(stop, 1, 1_000e6);
        OrderBook.Oco memory oco =
            OrderBook.Oco(stop, stop + bound(spread, 1, 1_000e6), uint64(block.timestamp + 3 days));
        OrderBook.Terms memory terms =
            OrderBook.Terms(book.minPlatformFeeBps(), 0, address(0), OrderBook.GasSponsor.USER_NOTIONAL, 0);
        vm.startPrank(HOLDER);
        token.approve(address(book), quantity);
        (uint256 stopId,) = book.createRedeemOco(address(token), quantity, address(usdc), 1, DEST, terms, oco);
        vm.stopPrank();
        stopIds.push(stopId);
        ghostLocked += quantity;
    }

    /// Triggers a random leg of a random pair at a mark that meets its trigger (when it is armed and live).
    function fire(uint256 pick, bool takeProfit, uint256 overshoot) external {
        if (stopIds.length == 0) return;
        uint256 id = stopIds[pick % stopIds.length] + (takeProfit ? 1 : 0);
        if (book.statusOf(id) != OrderBook.Status.ARMED) return;
        (OrderBook.Trigger memory t,) = book.triggerOf(id);
        if (block.timestamp > t.goodTill) return;
        uint256 mark = takeProfit ? t.price + bound(overshoot, 0, 100e6) : t.price - bound(overshoot, 0, t.price);
        vm.prank(keeper);
        book.trigger(id, mark);
        triggers += 1;
    }

    /// Settles a random leg at a fill that meets its bound, triggering it first when it is armed (the
    /// keeper triggers a leg before routing it).
    function settle(uint256 pick, bool takeProfit, uint256 gross) external {
        if (stopIds.length == 0) return;
        uint256 stopId = stopIds[pick % stopIds.length];
        uint256 id = stopId + (takeProfit ? 1 : 0);
        if (book.statusOf(id) == OrderBook.Status.ARMED) this.fire(pick, takeProfit, gross);
        if (book.statusOf(id) != OrderBook.Status.ACTIVE) return;
        OrderBook.Order memory o = book.getOrder(id);
        OrderBook.Limit memory lim = book.limitOf(id);
        if (block.timestamp > lim.goodTill) return;
        uint256 floor = lim.price * o.quantity / 1e6 + 1;
        gross = bound(gross, floor + 1e6, floor + 1e9);
        OrderBook.Fill memory fill = OrderBook.Fill(id, o.quantity, gross, 0, uint64(block.timestamp + 1 hours));
        (uint8 v, bytes32 r, bytes32 sg) = vm.sign(attesterPk, book.fillDigest(fill));
        vm.prank(keeper);
        book.settle(fill, vm.addr(attesterPk), abi.encodePacked(r, sg, v), 0);
        fills[stopId] += 1;
        settles += 1;
        ghostLocked -= o.quantity;
        ghostBurned += o.quantity;
    }

    function cancel(uint256 pick, bool takeProfit, bool byOwner) external {
        if (stopIds.length == 0) return;
        uint256 id = stopIds[pick % stopIds.length] + (takeProfit ? 1 : 0);
        OrderBook.Status s = book.statusOf(id);
        if (s != OrderBook.Status.ARMED && s != OrderBook.Status.ACTIVE && s != OrderBook.Status.QUEUED) return;
        if (byOwner && s != OrderBook.Status.ARMED) return; // an active leg waits for its recovery window
        vm.prank(byOwner ? HOLDER : keeper);
        if (byOwner) book.userCancel(id);
        else book.cancel(id);
        cancels += 1;
        ghostLocked -= book.getOrder(id).quantity;
    }

    function wait(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 0, 1 days));
    }
}

contract OrderBookOcoInvariantTest is Deployment {
    OcoHandler internal handler;

    function setUp() public {
        _deploy();
        vm.prank(KEEPER);
        book.setSessionOpen(true);
        handler = new OcoHandler(book, aapl, usdc, KEEPER, ATTESTER_PK);
        _targetContract(address(handler));
    }

    /// At most one leg of a pair ever fills; a filled pair's other leg is cancelled; a pair's legs are
    /// never both live past an armed state.
    function invariant_atMostOneLegOfAPairFills() public view {
        uint256 n = handler.pairCount();
        for (uint256 i = 0; i < n; ++i) {
            uint256 stopId = handler.stopIds(i);
            OrderBook.Status a = book.statusOf(stopId);
            OrderBook.Status b = book.statusOf(stopId + 1);
            uint256 settled = (a == OrderBook.Status.SETTLED ? 1 : 0) + (b == OrderBook.Status.SETTLED ? 1 : 0);
            assertTrue(settled <= 1, "both legs settled");
            assertEq(handler.fills(stopId), settled, "fills recorded match the book");
            bool aLive = a == OrderBook.Status.ACTIVE || a == OrderBook.Status.QUEUED;
            bool bLive = b == OrderBook.Status.ACTIVE || b == OrderBook.Status.QUEUED;
            if (aLive || bLive || settled == 1) {
                assertTrue(
                    a == OrderBook.Status.CANCELLED || b == OrderBook.Status.CANCELLED, "the other leg is cancelled"
                );
            }
            if (a == OrderBook.Status.ARMED || b == OrderBook.Status.ARMED) {
                assertTrue(a == b, "a pair is armed together or not at all");
            }
        }
    }

    /// The book holds exactly the open pairs' locks (one per pair), and burns happened as recorded.
    function invariant_onePairOneLock() public view {
        assertEq(book.lockedOf(address(aapl)), handler.ghostLocked(), "locked vs ghost");
        assertEq(aapl.balanceOf(address(book)), handler.ghostLocked(), "escrow vs ghost");
        assertEq(aapl.totalSupply() + handler.ghostBurned(), 10e6, "supply + burned == minted");
    }
}
