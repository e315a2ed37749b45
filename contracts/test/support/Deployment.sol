// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AssetTokenFactory} from "../../src/AssetTokenFactory.sol";
import {AssetToken} from "../../src/AssetToken.sol";
import {OrderBook} from "../../src/OrderBook.sol";
import {TestStablecoin} from "../devnet/TestStablecoin.sol";
import {IAssetTokenFactory} from "../../src/IAssetTokenFactory.sol";
import {TestBase} from "./Vm.sol";

/// @notice The contract set wired as the sandbox wires it, every role its own key: admin, keeper
///         (keeper role on the book only), the broker's attester (attester role), a minter and a pauser
///         on the factory, the order book (minter and burner: it mints settled mint orders), a treasury,
///         a funded USDC payout pool, and a buyer holding USDC for mint orders.
abstract contract Deployment is TestBase {
    address internal constant ADMIN = address(0xAD);
    address internal constant KEEPER = address(0xBEEF);
    address internal constant HOLDER = address(0x1111);
    address internal constant DEST = address(0x2222);
    address internal constant MINTER = address(0x313);
    address internal constant PAUSER = address(0x9A5);
    address internal constant TREASURY = address(0x7EA5);
    address internal constant BUYER = address(0xB0B);
    address internal constant DEV = address(0xDE7);
    uint256 internal constant BUYER_USDC = 100_000e6;
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
        factory.grantRole(factory.MINTER_ROLE(), MINTER);
        factory.grantRole(factory.PAUSER_ROLE(), PAUSER);
        factory.grantRole(factory.MINTER_ROLE(), address(book));
        factory.grantRole(factory.BURNER_ROLE(), address(book));
        book.setTreasury(TREASURY);
        book.grantRole(book.KEEPER_ROLE(), KEEPER);
        book.grantRole(book.ATTESTER_ROLE(), ATTESTER);
        book.setPayoutCurrency(address(usdc), true);
        usdc.mint(address(book), POOL);
        usdc.mint(BUYER, BUYER_USDC);
        vm.stopPrank();
        vm.prank(MINTER);
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

    /// @notice No developer fee, the minimum platform fee, the user pays at most `maxGas` of gas.
    function _terms(uint256 maxGas) internal view returns (OrderBook.Terms memory) {
        return OrderBook.Terms(book.minPlatformFeeBps(), 0, address(0), OrderBook.GasSponsor.USER_NOTIONAL, maxGas);
    }

    /// @notice BUYER approves the lock and creates a mint of `quantity` `symbol` for DEST.
    function _mint(string memory symbol, uint256 quantity, uint256 maxNotional, OrderBook.Terms memory terms)
        internal
        returns (uint256 id)
    {
        vm.startPrank(BUYER);
        usdc.approve(address(book), type(uint256).max);
        id = book.createMint(symbol, quantity, address(usdc), maxNotional, DEST, terms);
        vm.stopPrank();
    }

    /// @notice The keeper settles at an attested fill, charging `gas`.
    function _settle(OrderBook.Fill memory fill, bytes memory sig, uint256 gas) internal {
        vm.prank(KEEPER);
        book.settle(fill, ATTESTER, sig, gas);
    }

    function _redeem(address holder, uint256 quantity, uint256 minNotional) internal returns (uint256 id) {
        vm.startPrank(holder);
        aapl.approve(address(book), quantity);
        id = book.createRedeem(address(aapl), quantity, address(usdc), minNotional, DEST);
        vm.stopPrank();
    }
}
