// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Deployment} from "./support/Deployment.sol";
import {OrderBook} from "../src/OrderBook.sol";
import {AssetToken} from "../src/AssetToken.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

/// @notice Mint orders, fees (platform, developer), gas sponsoring and the fee escrow.
contract OrderBookMintTest is Deployment {
    uint256 internal constant MAX = 2_000e6;

    function setUp() public {
        _deploy();
        vm.prank(KEEPER);
        book.setSessionOpen(true);
    }

    function _feeTerms(OrderBook.GasSponsor sponsor, uint256 maxGas) internal pure returns (OrderBook.Terms memory) {
        return OrderBook.Terms(10, 25, DEV, sponsor, maxGas);
    }

    function test_createMint_locksMaxNotionalFeesAndGas() public {
        uint256 id = _mint("NVDA", 10e6, MAX, _feeTerms(OrderBook.GasSponsor.USER_NOTIONAL, 2e6));
        OrderBook.Order memory o = book.getOrder(id);
        // 2,000 + 0.10% (2) + 0.25% (5) + gas 2
        assertEq(o.locked, 2_009e6, "lock");
        assertEq(book.mintLockOf(MAX, _feeTerms(OrderBook.GasSponsor.USER_NOTIONAL, 2e6)), 2_009e6, "view");
        assertEq(usdc.balanceOf(BUYER), BUYER_USDC - 2_009e6, "buyer debited");
        assertEq(book.reservedOf(address(usdc)), 2_009e6, "reserved");
        assertEq(book.payoutPoolOf(address(usdc)), POOL, "the pool does not count the lock");
        assertTrue(o.side == OrderBook.Side.MINT, "side");
        assertEq(o.token, factory.predictAddress("NVDA"), "predicted token");
        assertEq(factory.tokenOf("NVDA"), address(0), "not deployed yet");
        assertEq(o.notionalBound, MAX, "max notional");
    }

    function test_settleMint_autoDeploysTheTokenMintsAndRefundsToTheBaseUnit() public {
        uint256 id = _mint("NVDA", 10e6, MAX, _feeTerms(OrderBook.GasSponsor.USER_NOTIONAL, 2e6));
        (OrderBook.Fill memory fill, bytes memory sig) =
            _attestWith(ATTESTER_PK, id, 10e6, 1_842_050_000, 730_000, uint64(block.timestamp + 60));
        _settle(fill, sig, 3e6); // the keeper states 3 USDC of gas; the order caps it at 2
        address nvda = factory.tokenOf("NVDA");
        assertEq(nvda, factory.predictAddress("NVDA"), "deployed at the predicted address in the settle");
        assertEq(AssetToken(nvda).balanceOf(DEST), 10e6, "minted to the destination");
        uint256 notional = 1_842_780_000;
        uint256 platformFee = 1_842_780; // 0.10%
        uint256 developerFee = 4_606_950; // 0.25%
        assertEq(usdc.balanceOf(TREASURY), notional + platformFee + 2e6, "treasury: notional, fee, gas");
        assertEq(book.developerFeesOf(DEV, address(usdc)), developerFee, "developer fee accrued");
        uint256 refund = 2_009e6 - notional - platformFee - developerFee - 2e6;
        assertEq(usdc.balanceOf(BUYER), BUYER_USDC - 2_009e6 + refund, "refund exact");
        assertEq(book.reservedOf(address(usdc)), developerFee, "only the fee escrow stays reserved");
        assertTrue(book.statusOf(id) == OrderBook.Status.SETTLED, "settled");
    }

    function test_settleMint_secondMintReusesTheToken() public {
        uint256 a = _mint("AAPL", 1e6, 300e6, _terms(0));
        (OrderBook.Fill memory fill, bytes memory sig) = _attest(a, 200e6);
        _settle(fill, sig, 0);
        assertEq(aapl.balanceOf(DEST), 1e6, "existing token minted");
        assertEq(factory.tokenCount(), 1, "no new token");
    }

    function test_settleMint_revertsAboveTheMaximumNotional() public {
        uint256 id = _mint("NVDA", 10e6, MAX, _terms(0));
        (OrderBook.Fill memory fill, bytes memory sig) =
            _attestWith(ATTESTER_PK, id, 10e6, MAX, 1, uint64(block.timestamp + 60));
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookNotionalAboveMaximum.selector, id, MAX + 1, MAX));
        _settle(fill, sig, 0);
    }

    function test_cancelMint_refundsTheLockAndTheGasDeposit() public {
        uint256 id = _mint("NVDA", 10e6, MAX, _feeTerms(OrderBook.GasSponsor.DEVELOPER, 2e6));
        assertEq(usdc.balanceOf(BUYER), BUYER_USDC - 2_007e6 - 2e6, "lock and deposit");
        vm.prank(KEEPER);
        book.cancel(id);
        assertEq(usdc.balanceOf(BUYER), BUYER_USDC, "everything back");
        assertEq(book.reservedOf(address(usdc)), 0, "nothing reserved");
        assertEq(factory.tokenOf("NVDA"), address(0), "nothing deployed");
    }

    function test_createMint_refusesBadOrders() public {
        OrderBook.Terms memory t = _terms(0);
        vm.startPrank(BUYER);
        usdc.approve(address(book), type(uint256).max);
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookInvalidSymbol.selector, "nvda"));
        book.createMint("nvda", 1e6, address(usdc), MAX, DEST, t);
        vm.expectRevert(OrderBook.OrderBookZeroNotionalBound.selector);
        book.createMint("NVDA", 1e6, address(usdc), 0, DEST, t);
        vm.expectRevert(OrderBook.OrderBookZeroQuantity.selector);
        book.createMint("NVDA", 0, address(usdc), MAX, DEST, t);
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookPayoutCurrencyNotAccepted.selector, address(aapl)));
        book.createMint("NVDA", 1e6, address(aapl), MAX, DEST, t);
        t.developerFeeBps = 25;
        vm.expectRevert(OrderBook.OrderBookInvalidFeeRecipient.selector);
        book.createMint("NVDA", 1e6, address(usdc), MAX, DEST, t);
        t.developerFeeRecipient = DEV;
        t.platformFeeBps = 990;
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookInvalidFees.selector, 990, 25));
        book.createMint("NVDA", 1e6, address(usdc), MAX, DEST, t);
        vm.stopPrank();
        vm.prank(ADMIN);
        book.setMinPlatformFeeBps(10);
        t.platformFeeBps = 5;
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookInvalidFees.selector, 5, 25));
        vm.prank(BUYER);
        book.createMint("NVDA", 1e6, address(usdc), MAX, DEST, t);
    }

    function test_settle_gasIsStatedByTheKeeperButCappedByTheOrder() public {
        uint256 id = _mint("NVDA", 1e6, 100e6, _terms(1e6));
        (OrderBook.Fill memory fill, bytes memory sig) = _attest(id, 90e6);
        _settle(fill, sig, 50e6);
        assertEq(usdc.balanceOf(TREASURY), 90e6 + 1e6, "at most maxGas charged");
    }

    function test_redeemWithTerms_deductsTheFeesAndTheUsersGasFromTheProceeds() public {
        vm.startPrank(HOLDER);
        aapl.approve(address(book), 4e6);
        uint256 id = book.createRedeemWithTerms(
            address(aapl), 4e6, address(usdc), 900e6, DEST, _feeTerms(OrderBook.GasSponsor.USER_NOTIONAL, 1e6)
        );
        vm.stopPrank();
        (OrderBook.Fill memory fill, bytes memory sig) =
            _attestWith(ATTESTER_PK, id, 4e6, 1_000e6, 1e6, uint64(block.timestamp + 60));
        _settle(fill, sig, 400_000);
        // 1,000 - costs 1 - platform 1 - developer 2.5 - gas 0.4
        assertEq(usdc.balanceOf(DEST), 995_100_000, "net payout");
        assertEq(usdc.balanceOf(TREASURY), 1e6 + 400_000, "platform fee and gas");
        assertEq(book.developerFeesOf(DEV, address(usdc)), 2_500_000, "developer fee accrued");
        assertEq(book.payoutPoolOf(address(usdc)), POOL - 999e6, "the pool paid gross minus costs");
    }

    function test_redeemDeveloperGas_comesFromTheCreatorsDepositNotTheProceeds() public {
        vm.prank(ADMIN);
        usdc.mint(HOLDER, 5e6);
        vm.startPrank(HOLDER);
        aapl.approve(address(book), 1e6);
        usdc.approve(address(book), 5e6);
        uint256 id = book.createRedeemWithTerms(
            address(aapl), 1e6, address(usdc), 100e6, DEST, _feeTerms(OrderBook.GasSponsor.DEVELOPER, 5e6)
        );
        vm.stopPrank();
        assertEq(usdc.balanceOf(HOLDER), 0, "deposit locked");
        (OrderBook.Fill memory fill, bytes memory sig) = _attest(id, 200e6);
        _settle(fill, sig, 1_250_000);
        // 200 - platform 0.2 - developer 0.5, no gas
        assertEq(usdc.balanceOf(DEST), 199_300_000, "proceeds carry no gas");
        assertEq(usdc.balanceOf(TREASURY), 200_000 + 1_250_000, "fee and gas from the deposit");
        assertEq(usdc.balanceOf(HOLDER), 5e6 - 1_250_000, "unused deposit back");
    }

    function test_redeemLiquidity_neverSpendsReservedMoney() public {
        _mint("NVDA", 1e6, MAX, _terms(0)); // 2,000 USDC locked in the book
        uint256 id = _redeem(HOLDER, 1e6, 1);
        (OrderBook.Fill memory fill, bytes memory sig) = _attest(id, POOL + 1);
        vm.expectRevert(
            abi.encodeWithSelector(OrderBook.OrderBookInsufficientLiquidity.selector, address(usdc), POOL, POOL + 1)
        );
        _settle(fill, sig, 0);
    }

    function test_sweepDeveloperFees_paysTheRecipientWhatAccruedOnce() public {
        uint256 id = _mint("NVDA", 1e6, 1_000e6, _feeTerms(OrderBook.GasSponsor.USER_NOTIONAL, 0));
        (OrderBook.Fill memory fill, bytes memory sig) = _attest(id, 1_000e6);
        _settle(fill, sig, 0);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, DEV, book.KEEPER_ROLE())
        );
        vm.prank(DEV);
        book.sweepDeveloperFees(DEV, address(usdc));
        vm.prank(KEEPER);
        assertEq(book.sweepDeveloperFees(DEV, address(usdc)), 2_500_000, "swept");
        assertEq(usdc.balanceOf(DEV), 2_500_000, "paid to the recipient");
        vm.prank(KEEPER);
        assertEq(book.sweepDeveloperFees(DEV, address(usdc)), 0, "nothing twice");
        assertEq(book.reservedOf(address(usdc)), 0, "escrow empty");
    }

    function testFuzz_mint_moneyIsConservedAndTheRefundExact(
        uint256 maxNotional,
        uint256 gross,
        uint256 costs,
        uint16 platformBps,
        uint16 developerBps,
        uint256 maxGas,
        uint256 gasCharge,
        bool developerGas
    ) public {
        maxNotional = bound(maxNotional, 1, 20_000e6);
        gross = bound(gross, 0, maxNotional);
        costs = bound(costs, 0, maxNotional - gross);
        OrderBook.Terms memory t = OrderBook.Terms(
            uint16(bound(platformBps, 0, 500)),
            uint16(bound(developerBps, 0, 500)),
            DEV,
            developerGas ? OrderBook.GasSponsor.DEVELOPER : OrderBook.GasSponsor.USER_NOTIONAL,
            bound(maxGas, 0, 50e6)
        );
        uint256 id = _mint("NVDA", 3e6, maxNotional, t);
        (OrderBook.Fill memory fill, bytes memory sig) =
            _attestWith(ATTESTER_PK, id, 3e6, gross, costs, uint64(block.timestamp + 60));
        _settle(fill, sig, gasCharge);
        _checkMintMoney(gross + costs, t);
    }

    function _checkMintMoney(uint256 notional, OrderBook.Terms memory t) private view {
        uint256 paid = BUYER_USDC - usdc.balanceOf(BUYER);
        uint256 treasury = usdc.balanceOf(TREASURY);
        uint256 devFee = book.developerFeesOf(DEV, address(usdc));
        assertEq(paid, treasury + devFee, "the buyer paid exactly what the treasury and the escrow got");
        assertGe(treasury, notional, "the treasury got at least the notional");
        // Fees never round down: fee * BPS >= notional * bps.
        assertGe(devFee * 10_000, notional * t.developerFeeBps, "developer fee rounds up");
        assertGe((treasury - notional) * 10_000, notional * t.platformFeeBps, "platform fee rounds up");
        assertEq(usdc.balanceOf(address(book)), POOL + devFee, "the book keeps only the pool and the escrow");
        assertEq(AssetToken(factory.tokenOf("NVDA")).balanceOf(DEST), 3e6, "minted exactly");
    }

    function testFuzz_redeem_payoutIsGrossMinusEverythingNeverBelowTheMinimum(
        uint256 gross,
        uint256 costs,
        uint16 platformBps,
        uint16 developerBps,
        uint256 gasCharge,
        uint256 minN
    ) public {
        gross = bound(gross, 0, 100_000e6);
        costs = bound(costs, 0, gross);
        platformBps = uint16(bound(platformBps, 0, 500));
        developerBps = uint16(bound(developerBps, 0, 500));
        gasCharge = bound(gasCharge, 0, 10e6);
        minN = bound(minN, 1, 100_000e6);
        vm.startPrank(HOLDER);
        aapl.approve(address(book), 1e6);
        uint256 id = book.createRedeemWithTerms(
            address(aapl),
            1e6,
            address(usdc),
            minN,
            DEST,
            OrderBook.Terms(platformBps, developerBps, DEV, OrderBook.GasSponsor.USER_NOTIONAL, 5e6)
        );
        vm.stopPrank();
        (OrderBook.Fill memory fill, bytes memory sig) =
            _attestWith(ATTESTER_PK, id, 1e6, gross, costs, uint64(block.timestamp + 60));
        uint256 gas = gasCharge < 5e6 ? gasCharge : 5e6;
        uint256 deductions = costs + book.feeOf(gross, platformBps) + book.feeOf(gross, developerBps) + gas;
        uint256 payout = gross > deductions ? gross - deductions : 0;
        if (payout < minN) {
            vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookPayoutBelowMinimum.selector, id, payout, minN));
            _settle(fill, sig, gasCharge);
            assertTrue(book.statusOf(id) == OrderBook.Status.ACTIVE, "still open");
            return;
        }
        _settle(fill, sig, gasCharge);
        assertEq(usdc.balanceOf(DEST), payout, "payout");
        assertEq(
            POOL - usdc.balanceOf(address(book)) + book.developerFeesOf(DEV, address(usdc)),
            payout + usdc.balanceOf(TREASURY) + book.developerFeesOf(DEV, address(usdc)),
            "the pool paid the destination and the treasury; the developer fee stayed in escrow"
        );
        assertEq(POOL - book.payoutPoolOf(address(usdc)), gross - costs, "the pool spent gross minus costs");
    }

    function test_ensureDeployed_deploysAheadOfTheFirstMintOnceAndOnlyForTheKeeper() public {
        address predicted = factory.predictAddress("TSLA");
        vm.prank(KEEPER);
        assertEq(book.ensureDeployed("TSLA"), predicted, "deployed at the predicted address");
        assertEq(factory.tokenOf("TSLA"), predicted, "registered");
        assertEq(AssetToken(predicted).totalSupply(), 0, "nothing minted");
        vm.prank(KEEPER);
        assertEq(book.ensureDeployed("TSLA"), predicted, "idempotent");
        assertEq(factory.tokenCount(), 2, "one deployment");
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, BUYER, book.KEEPER_ROLE())
        );
        vm.prank(BUYER);
        book.ensureDeployed("MSFT");
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookInvalidSymbol.selector, "msft"));
        vm.prank(KEEPER);
        book.ensureDeployed("msft");
    }
}
