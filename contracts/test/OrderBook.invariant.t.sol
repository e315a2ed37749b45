// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Deployment} from "./support/Deployment.sol";
import {OrderBook} from "../src/OrderBook.sol";
import {AssetToken} from "../src/AssetToken.sol";
import {TestStablecoin} from "./devnet/TestStablecoin.sol";
import {Vm, TestBase} from "./support/Vm.sol";

/// @notice Drives random sequences of create/promote/settle/cancel/userCancel against the book and
///         keeps ghost totals of what each path moved.
contract OrderBookHandler is TestBase {
    OrderBook internal immutable book;
    AssetToken internal immutable token;
    TestStablecoin internal immutable usdc;
    address internal immutable keeper;
    uint256 internal immutable attesterPk;
    address[3] internal holders = [address(0x1111), address(0x3333), address(0x4444)];

    uint256[] public orderIds;
    uint256 public ghostLocked;
    uint256 public ghostBurned;
    uint256 public ghostPaid;
    mapping(uint256 => uint256) public closings;

    constructor(OrderBook book_, AssetToken token_, TestStablecoin usdc_, address keeper_, uint256 attesterPk_) {
        book = book_;
        token = token_;
        usdc = usdc_;
        keeper = keeper_;
        attesterPk = attesterPk_;
    }

    function holderCount() external pure returns (uint256) {
        return 3;
    }

    function holderAt(uint256 i) external view returns (address) {
        return holders[i];
    }

    function orderCount() external view returns (uint256) {
        return orderIds.length;
    }

    function create(uint256 who, uint256 quantity, uint256 minNotional) external {
        address holder = holders[who % 3];
        uint256 balance = token.balanceOf(holder);
        if (balance == 0) return;
        quantity = bound(quantity, 1, balance);
        vm.startPrank(holder);
        token.approve(address(book), quantity);
        uint256 id = book.createRedeem(address(token), quantity, address(usdc), bound(minNotional, 0, 1e9), holder);
        vm.stopPrank();
        orderIds.push(id);
        ghostLocked += quantity;
    }

    function promote(uint256 pick) external {
        uint256 id = _pick(pick);
        if (id == 0 || book.statusOf(id) != OrderBook.Status.QUEUED) return;
        vm.prank(keeper);
        book.promote(id);
    }

    function settle(uint256 pick, uint256 gross) external {
        uint256 id = _pick(pick);
        if (id == 0 || book.statusOf(id) != OrderBook.Status.ACTIVE) return;
        OrderBook.Order memory o = book.getOrder(id);
        gross = bound(gross, o.minNotional, o.minNotional + 1e9);
        OrderBook.Fill memory fill = OrderBook.Fill(id, o.quantity, gross, 0, uint64(block.timestamp + 1 hours));
        (uint8 v, bytes32 r, bytes32 sg) = vm.sign(attesterPk, book.fillDigest(fill));
        vm.prank(keeper);
        book.settle(fill, vm.addr(attesterPk), abi.encodePacked(r, sg, v));
        closings[id] += 1;
        ghostLocked -= o.quantity;
        ghostBurned += o.quantity;
        ghostPaid += gross;
    }

    function cancel(uint256 pick) external {
        uint256 id = _pick(pick);
        OrderBook.Status s = id == 0 ? OrderBook.Status.NONE : book.statusOf(id);
        if (s != OrderBook.Status.QUEUED && s != OrderBook.Status.ACTIVE) return;
        vm.prank(keeper);
        book.cancel(id);
        closings[id] += 1;
        ghostLocked -= book.getOrder(id).quantity;
    }

    function userCancel(uint256 pick, uint256 wait) external {
        uint256 id = _pick(pick);
        OrderBook.Status s = id == 0 ? OrderBook.Status.NONE : book.statusOf(id);
        if (s != OrderBook.Status.QUEUED && s != OrderBook.Status.ACTIVE) return;
        OrderBook.Order memory o = book.getOrder(id);
        uint256 availableAt = uint256(o.createdAt) + book.recoveryWindow();
        vm.warp(block.timestamp + bound(wait, 0, 2 days));
        if (block.timestamp < availableAt) return;
        vm.prank(o.owner);
        book.userCancel(id);
        closings[id] += 1;
        ghostLocked -= o.quantity;
    }

    function _pick(uint256 pick) private view returns (uint256) {
        if (orderIds.length == 0) return 0;
        return orderIds[pick % orderIds.length];
    }
}

contract OrderBookInvariantTest is Deployment {
    OrderBookHandler internal handler;
    uint256 internal minted;

    function setUp() public {
        _deploy();
        handler = new OrderBookHandler(book, aapl, usdc, KEEPER, ATTESTER_PK);
        vm.startPrank(KEEPER);
        factory.mint("AAPL", address(0x3333), 25e6);
        factory.mint("AAPL", address(0x4444), 7e6);
        vm.stopPrank();
        minted = 10e6 + 25e6 + 7e6;
        _targetContract(address(handler));
    }

    /// Locked sum == the order book's token balance == the handler's ghost of what is locked.
    function invariant_lockedEqualsEscrowBalance() public view {
        assertEq(book.lockedOf(address(aapl)), aapl.balanceOf(address(book)), "locked vs escrow");
        assertEq(book.lockedOf(address(aapl)), handler.ghostLocked(), "locked vs ghost");
    }

    /// Every minted unit is held by a holder, locked in the book, or burned by a settle; nothing else.
    function invariant_supplyIsConserved() public view {
        uint256 held;
        for (uint256 i = 0; i < handler.holderCount(); ++i) {
            held += aapl.balanceOf(handler.holderAt(i));
        }
        assertEq(held + aapl.balanceOf(address(book)), aapl.totalSupply(), "held + locked == supply");
        assertEq(aapl.totalSupply() + handler.ghostBurned(), minted, "supply + burned == minted");
        assertEq(usdc.balanceOf(address(book)) + handler.ghostPaid(), POOL, "pool + paid == funded");
    }

    /// Each order pays or releases at most once.
    function invariant_eachOrderClosesAtMostOnce() public view {
        uint256 n = handler.orderCount();
        for (uint256 i = 0; i < n; ++i) {
            uint256 id = handler.orderIds(i);
            uint256 c = handler.closings(id);
            assertTrue(c <= 1, "closed twice");
            OrderBook.Status s = book.statusOf(id);
            bool terminal = s == OrderBook.Status.SETTLED || s == OrderBook.Status.CANCELLED;
            assertEq(c, terminal ? 1 : 0, "closings match terminal status");
        }
    }
}
