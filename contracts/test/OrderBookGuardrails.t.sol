// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Deployment} from "./support/Deployment.sol";
import {OrderBook} from "../src/OrderBook.sol";

/// @notice The per-block circuit breakers: each refuses the create that would breach it with a named
///         error carrying the limit and the value, counts only within its block (or rolling day), and
///         is off at 0.
contract OrderBookGuardrailsTest is Deployment {
    OrderBook.Terms internal terms;

    function setUp() public {
        _deploy();
        terms = _terms(0);
        vm.prank(KEEPER);
        book.setSessionOpen(true);
        vm.prank(MINTER);
        factory.mint("AAPL", HOLDER, 90e6);
        vm.prank(BUYER);
        usdc.approve(address(book), type(uint256).max);
    }

    function _set(uint256 perAddress, uint256 total, uint256 minPerTx, uint256 daily, uint256 redeems) internal {
        vm.prank(ADMIN);
        book.setGuardrails(OrderBook.Guardrails(perAddress, total, minPerTx, daily, redeems));
    }

    /// @dev No external call before the create: a test's expectRevert applies to it.
    function _mintAs(address who, uint256 maxNotional) internal returns (uint256) {
        OrderBook.Terms memory t = terms;
        vm.prank(who);
        return book.createMint("AAPL", 1e6, address(usdc), maxNotional, DEST, t);
    }

    function _expectGuardrail(OrderBook.Guardrail limit, uint256 limitValue, uint256 current) internal {
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookGuardrail.selector, limit, limitValue, current));
    }

    function test_offByDefault_andOnlyTheAdminSetsThem() public {
        _mintAs(BUYER, 50_000e6);
        vm.expectRevert();
        vm.prank(KEEPER);
        book.setGuardrails(OrderBook.Guardrails(1, 1, 1, 1, 1));
        _set(1_000e6, 0, 0, 0, 0);
        assertEq(book.guardrails().mintMaxPerAddressPerBlock, 1_000e6, "set");
    }

    function test_mintPerAddressPerBlock_resetsInTheNextBlock() public {
        _set(1_000e6, 0, 0, 0, 0);
        _mintAs(BUYER, 600e6);
        _expectGuardrail(OrderBook.Guardrail.MINT_MAX_NOTIONAL_PER_ADDRESS_PER_BLOCK, 1_000e6, 1_100e6);
        _mintAs(BUYER, 500e6);
        (uint256 owner,,,) = book.guardrailUsage(BUYER, "AAPL");
        assertEq(owner, 600e6, "the refused mint was not counted");
        // Another address has its own window.
        vm.prank(ADMIN);
        usdc.mint(HOLDER, 1_000e6);
        vm.prank(HOLDER);
        usdc.approve(address(book), type(uint256).max);
        _mintAs(HOLDER, 900e6);
        vm.roll(block.number + 1);
        _mintAs(BUYER, 1_000e6);
        (owner,,,) = book.guardrailUsage(BUYER, "AAPL");
        assertEq(owner, 1_000e6, "a new block, a new window");
    }

    function test_mintTotalPerBlockAndTheDustFloor() public {
        _set(0, 1_500e6, 10e6, 0, 0);
        _expectGuardrail(OrderBook.Guardrail.MINT_MIN_PER_TX, 10e6, 9_999_999);
        _mintAs(BUYER, 9_999_999);
        _mintAs(BUYER, 1_000e6);
        _expectGuardrail(OrderBook.Guardrail.MINT_MAX_TOTAL_PER_BLOCK, 1_500e6, 1_500e6 + 1);
        _mintAs(BUYER, 500e6 + 1);
        _mintAs(BUYER, 500e6);
    }

    function test_mintDailyPerAsset_isARollingWindowOverTwoDays() public {
        vm.warp(10 days); // midnight UTC
        _set(0, 0, 0, 10_000e6, 0);
        _mintAs(BUYER, 8_000e6);
        vm.roll(block.number + 1);
        _expectGuardrail(OrderBook.Guardrail.MINT_DAILY_NOTIONAL_PER_ASSET, 10_000e6, 10_001e6);
        _mintAs(BUYER, 2_001e6);
        // Six hours into the next day, three quarters of yesterday's 8,000 still count: 6,000.
        vm.warp(11 days + 6 hours);
        (,,, uint256 day) = book.guardrailUsage(BUYER, "AAPL");
        assertEq(day, 6_000e6, "sliding window");
        _expectGuardrail(OrderBook.Guardrail.MINT_DAILY_NOTIONAL_PER_ASSET, 10_000e6, 10_000e6 + 1);
        _mintAs(BUYER, 4_000e6 + 1);
        _mintAs(BUYER, 4_000e6);
        // Two days on, nothing of it is left.
        vm.warp(13 days);
        (,,, day) = book.guardrailUsage(BUYER, "AAPL");
        assertEq(day, 0, "window passed");
    }

    function test_redeemMaxPerBlock() public {
        _set(0, 0, 0, 0, 100e6);
        vm.startPrank(HOLDER);
        aapl.approve(address(book), type(uint256).max);
        book.createRedeem(address(aapl), 1e6, address(usdc), 60e6, DEST);
        vm.expectRevert(
            abi.encodeWithSelector(
                OrderBook.OrderBookGuardrail.selector, OrderBook.Guardrail.REDEEM_MAX_PER_BLOCK, 100e6, 101e6
            )
        );
        book.createRedeem(address(aapl), 1e6, address(usdc), 41e6, DEST);
        vm.stopPrank();
        vm.roll(block.number + 1);
        vm.prank(HOLDER);
        book.createRedeem(address(aapl), 1e6, address(usdc), 41e6, DEST);
    }

    /// @notice Over random mints across random blocks, an owner's mints within any block never add up
    ///         to more than the cap, and every mint the breaker let through really was created.
    function testFuzz_perBlockCapHoldsAcrossBlocks(uint256 seed) public {
        uint256 cap = 1_000e6;
        _set(cap, 0, 0, 0, 0);
        uint256 created;
        uint256 inBlock;
        for (uint256 i = 0; i < 24; i++) {
            uint256 amount = 1e6 + (uint256(keccak256(abi.encode(seed, i))) % 600e6);
            if (uint256(keccak256(abi.encode(seed, i, "roll"))) % 3 == 0) {
                vm.roll(block.number + 1);
                inBlock = 0;
            }
            if (inBlock + amount > cap) {
                _expectGuardrail(OrderBook.Guardrail.MINT_MAX_NOTIONAL_PER_ADDRESS_PER_BLOCK, cap, inBlock + amount);
                _mintAs(BUYER, amount);
            } else {
                uint256 id = _mintAs(BUYER, amount);
                assertTrue(book.statusOf(id) == OrderBook.Status.ACTIVE, "created");
                inBlock += amount;
                created++;
            }
            (uint256 owner,,,) = book.guardrailUsage(BUYER, "AAPL");
            assertEq(owner, inBlock, "the window holds what was created in this block");
        }
        assertEq(book.nextOrderId() - 1, created, "every allowed mint exists");
    }
}
