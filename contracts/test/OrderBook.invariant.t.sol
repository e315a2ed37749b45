// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Deployment} from "./support/Deployment.sol";
import {OrderBook} from "../src/OrderBook.sol";
import {AssetToken} from "../src/AssetToken.sol";
import {TestStablecoin} from "./devnet/TestStablecoin.sol";
import {Vm, TestBase} from "./support/Vm.sol";

/// @notice Drives random sequences of redeems and mints (create, promote, settle with fees and gas,
///         cancel, userCancel) and fee sweeps against the book, and keeps ghost totals of what each
///         path moved, so the invariants check that the actions really happened.
contract OrderBookHandler is TestBase {
    OrderBook internal immutable book;
    AssetToken internal immutable token;
    TestStablecoin internal immutable usdc;
    address internal immutable keeper;
    uint256 internal immutable attesterPk;
    address[3] internal holders = [address(0x1111), address(0x3333), address(0x4444)];

    address internal constant BUYER = address(0xB0B);
    address internal constant DEV = address(0xDE7);

    uint256[] public orderIds;
    uint256 public ghostLocked;
    uint256 public ghostBurned;
    uint256 public ghostPaid;
    /// stablecoin locked by open mints plus gas deposits
    uint256 public ghostStableLocked;
    uint256 public ghostFeesAccrued;
    uint256 public ghostFeesSwept;
    uint256 public ghostMinted;
    uint256 public settles;
    uint256 public cancels;
    uint256 public sweeps;
    mapping(uint256 => uint256) public closings;

    constructor(OrderBook book_, AssetToken token_, TestStablecoin usdc_, address keeper_, uint256 attesterPk_) {
        book = book_;
        token = token_;
        usdc = usdc_;
        keeper = keeper_;
        attesterPk = attesterPk_;
        vm.prank(BUYER);
        usdc.approve(address(book_), type(uint256).max);
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
        uint256 id = book.createRedeem(address(token), quantity, address(usdc), bound(minNotional, 1, 1e9), holder);
        vm.stopPrank();
        orderIds.push(id);
        ghostLocked += quantity;
    }

    function createMint(uint256 quantity, uint256 maxNotional, uint16 developerBps, uint256 maxGas, bool devGas)
        external
    {
        quantity = bound(quantity, 1, 100e6);
        maxNotional = bound(maxNotional, 1, 10_000e6);
        OrderBook.Terms memory t = OrderBook.Terms(
            10,
            uint16(bound(developerBps, 0, 100)),
            DEV,
            devGas ? OrderBook.GasSponsor.DEVELOPER : OrderBook.GasSponsor.USER_NOTIONAL,
            bound(maxGas, 0, 5e6)
        );
        uint256 lock = book.mintLockOf(maxNotional, t) + (devGas ? t.maxGas : 0);
        if (usdc.balanceOf(BUYER) < lock) return;
        vm.prank(BUYER);
        uint256 id = book.createMint("AAPL", quantity, address(usdc), maxNotional, BUYER, t);
        orderIds.push(id);
        ghostStableLocked += lock;
    }

    function sweep() external {
        vm.prank(keeper);
        uint256 amount = book.sweepDeveloperFees(DEV, address(usdc));
        ghostFeesSwept += amount;
        if (amount > 0) sweeps += 1;
    }

    function promote(uint256 pick) external {
        uint256 id = _pick(pick);
        if (id == 0 || book.statusOf(id) != OrderBook.Status.QUEUED) return;
        vm.prank(keeper);
        book.promote(id);
    }

    function settle(uint256 pick, uint256 gross, uint256 costs, uint256 gas) external {
        uint256 id = _pick(pick);
        if (id == 0) return;
        if (book.statusOf(id) == OrderBook.Status.QUEUED) {
            vm.prank(keeper); // the keeper promotes a queued order once the venue fills it
            book.promote(id);
        }
        if (book.statusOf(id) != OrderBook.Status.ACTIVE) return;
        OrderBook.Order memory o = book.getOrder(id);
        if (o.side == OrderBook.Side.REDEEM) {
            gross = bound(gross, o.notionalBound, o.notionalBound + 1e9);
            costs = 0;
        } else {
            gross = bound(gross, 0, o.notionalBound);
            costs = bound(costs, 0, o.notionalBound - gross);
        }
        OrderBook.Fill memory fill = OrderBook.Fill(id, o.quantity, gross, costs, uint64(block.timestamp + 1 hours));
        (uint8 v, bytes32 r, bytes32 sg) = vm.sign(attesterPk, book.fillDigest(fill));
        uint256 feesBefore = book.developerFeesOf(DEV, address(usdc));
        vm.prank(keeper);
        book.settle(fill, vm.addr(attesterPk), abi.encodePacked(r, sg, v), bound(gas, 0, 10e6));
        closings[id] += 1;
        settles += 1;
        ghostFeesAccrued += book.developerFeesOf(DEV, address(usdc)) - feesBefore;
        if (o.side == OrderBook.Side.REDEEM) {
            ghostLocked -= o.quantity;
            ghostBurned += o.quantity;
            ghostPaid += gross;
        } else {
            ghostStableLocked -= o.locked + o.gasDeposit;
            ghostMinted += o.quantity;
        }
    }

    function cancel(uint256 pick) external {
        uint256 id = _pick(pick);
        OrderBook.Status s = id == 0 ? OrderBook.Status.NONE : book.statusOf(id);
        if (s != OrderBook.Status.QUEUED && s != OrderBook.Status.ACTIVE) return;
        vm.prank(keeper);
        book.cancel(id);
        closings[id] += 1;
        cancels += 1;
        _released(book.getOrder(id));
    }

    function _released(OrderBook.Order memory o) private {
        if (o.side == OrderBook.Side.REDEEM) ghostLocked -= o.quantity;
        else ghostStableLocked -= o.locked + o.gasDeposit;
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
        cancels += 1;
        _released(o);
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
        vm.startPrank(MINTER);
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
        held += aapl.balanceOf(BUYER);
        assertEq(held + aapl.balanceOf(address(book)), aapl.totalSupply(), "held + locked == supply");
        assertEq(
            aapl.totalSupply() + handler.ghostBurned(), minted + handler.ghostMinted(), "supply + burned == minted"
        );
    }

    /// The book holds exactly its payout pool plus what it reserves, and it reserves exactly the open
    /// mints' locks and gas deposits plus the developer fees accrued and not swept.
    function invariant_reservedMoneyIsAccountedFor() public view {
        uint256 reserved = book.reservedOf(address(usdc));
        assertEq(
            reserved, handler.ghostStableLocked() + handler.ghostFeesAccrued() - handler.ghostFeesSwept(), "reserved"
        );
        assertEq(
            book.developerFeesOf(DEV, address(usdc)), handler.ghostFeesAccrued() - handler.ghostFeesSwept(), "escrow"
        );
        assertEq(
            usdc.balanceOf(address(book)), book.payoutPoolOf(address(usdc)) + reserved, "balance == pool + reserved"
        );
    }

    /// No stablecoin is created or destroyed: what was funded sits with the book, the buyer, the
    /// treasury, the developer-fee recipient or the redeem destinations.
    function invariant_stablecoinIsConserved() public view {
        uint256 total =
            usdc.balanceOf(address(book)) + usdc.balanceOf(BUYER) + usdc.balanceOf(TREASURY) + usdc.balanceOf(DEV);
        for (uint256 i = 0; i < handler.holderCount(); ++i) {
            total += usdc.balanceOf(handler.holderAt(i));
        }
        assertEq(total, POOL + BUYER_USDC, "conserved");
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
