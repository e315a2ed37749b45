// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Deployment} from "./support/Deployment.sol";
import {OrderBook} from "../src/OrderBook.sol";
import {AssetToken} from "../src/AssetToken.sol";
import {TestSmartWallet} from "./devnet/TestSmartWallet.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";

/// @notice Gasless orders: an EIP-712 intent signed by the holder (EOA or ERC-1271 wallet), with an
///         EIP-2612 permit, submitted by a relayer that pays the gas.
contract OrderBookIntentTest is Deployment {
    uint256 internal constant HOLDER_PK = 0x5EC12E7;
    address internal holder;
    address internal constant RELAYER = address(0x2E1A7);
    bytes32 internal constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");

    function setUp() public {
        _deploy();
        holder = vm.addr(HOLDER_PK);
        vm.prank(KEEPER);
        book.setSessionOpen(true);
        vm.prank(MINTER);
        factory.mint("AAPL", holder, 5e6);
        vm.prank(ADMIN);
        usdc.mint(holder, 10_000e6);
        vm.prank(ADMIN);
        usdc.mint(RELAYER, 1_000e6);
    }

    function _redeemIntent(address owner, uint256 quantity, uint256 nonce)
        internal
        view
        returns (OrderBook.OrderIntent memory)
    {
        return OrderBook.OrderIntent(
            owner,
            OrderBook.Side.REDEEM,
            "",
            address(aapl),
            quantity,
            address(usdc),
            100e6,
            DEST,
            _terms(1e6),
            nonce,
            uint64(block.timestamp + 10 minutes)
        );
    }

    function _mintIntent(uint256 nonce, OrderBook.GasSponsor sponsor)
        internal
        view
        returns (OrderBook.OrderIntent memory)
    {
        return OrderBook.OrderIntent(
            holder,
            OrderBook.Side.MINT,
            "NVDA",
            address(0),
            2e6,
            address(usdc),
            1_000e6,
            DEST,
            OrderBook.Terms(book.minPlatformFeeBps(), 0, address(0), sponsor, 3e6),
            nonce,
            uint64(block.timestamp + 10 minutes)
        );
    }

    function _sign(uint256 pk, OrderBook.OrderIntent memory intent) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, book.intentDigest(intent));
        return abi.encodePacked(r, s, v);
    }

    function _permit(uint256 pk, address token, uint256 value) internal view returns (OrderBook.Permit memory) {
        address owner = vm.addr(pk);
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 structHash = keccak256(
            abi.encode(PERMIT_TYPEHASH, owner, address(book), value, IERC20Permit(token).nonces(owner), deadline)
        );
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", IERC20Permit(token).DOMAIN_SEPARATOR(), structHash));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, digest);
        return OrderBook.Permit(value, deadline, v, r, s);
    }

    function _none() internal pure returns (OrderBook.Permit memory) {
        return OrderBook.Permit(0, 0, 0, bytes32(0), bytes32(0));
    }

    function test_aSignedRedeemIntentWithAPermitCreatesExactlyThatOrderForTheSigner() public {
        OrderBook.OrderIntent memory intent = _redeemIntent(holder, 2e6, 0);
        OrderBook.Permit memory permit = _permit(HOLDER_PK, address(aapl), 2e6);
        uint256 relayerBefore = usdc.balanceOf(RELAYER);
        vm.prank(RELAYER);
        uint256 id = book.createWithIntent(intent, _sign(HOLDER_PK, intent), permit);
        OrderBook.Order memory o = book.getOrder(id);
        assertEq(o.owner, holder, "the order is the signer's");
        assertTrue(o.side == OrderBook.Side.REDEEM, "side");
        assertEq(o.token, address(aapl), "token");
        assertEq(o.quantity, 2e6, "quantity");
        assertEq(o.currency, address(usdc), "currency");
        assertEq(o.notionalBound, 100e6, "minimum");
        assertEq(o.destination, DEST, "destination");
        assertEq(o.terms.maxGas, 1e6, "max gas");
        assertEq(aapl.balanceOf(holder), 3e6, "tokens locked from the holder");
        assertEq(book.lockedOf(address(aapl)), 2e6, "locked");
        assertEq(book.nonces(holder), 1, "nonce used");
        assertEq(usdc.balanceOf(RELAYER), relayerBefore, "the relayer pays no money, only the gas");
        // Settles like any order, paying the destination.
        (OrderBook.Fill memory fill, bytes memory sig) = _attest(id, 400e6);
        _settle(fill, sig, 1e6);
        assertTrue(book.statusOf(id) == OrderBook.Status.SETTLED, "settled");
    }

    function test_replayExpiryWrongSignerAndTamperedFieldsAreRefused() public {
        OrderBook.OrderIntent memory intent = _redeemIntent(holder, 1e6, 0);
        bytes memory sig = _sign(HOLDER_PK, intent);
        vm.prank(holder);
        aapl.approve(address(book), type(uint256).max);

        // Signed by someone else.
        bytes memory otherSig = _sign(OTHER_PK, intent);
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookIntentNotSigned.selector, holder));
        vm.prank(RELAYER);
        book.createWithIntent(intent, otherSig, _none());

        // Any field changed after signing.
        OrderBook.OrderIntent memory tampered = _redeemIntent(holder, 1e6, 0);
        tampered.destination = RELAYER;
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookIntentNotSigned.selector, holder));
        vm.prank(RELAYER);
        book.createWithIntent(tampered, sig, _none());
        tampered = _redeemIntent(holder, 1e6, 0);
        tampered.terms.maxGas = 50e6;
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookIntentNotSigned.selector, holder));
        vm.prank(RELAYER);
        book.createWithIntent(tampered, sig, _none());

        // Once; then the same intent is a used nonce.
        vm.prank(RELAYER);
        book.createWithIntent(intent, sig, _none());
        vm.expectRevert(abi.encodeWithSelector(Nonces.InvalidAccountNonce.selector, holder, 1));
        vm.prank(RELAYER);
        book.createWithIntent(intent, sig, _none());

        // Past its deadline.
        OrderBook.OrderIntent memory late = _redeemIntent(holder, 1e6, 1);
        bytes memory lateSig = _sign(HOLDER_PK, late);
        vm.warp(late.deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookIntentExpired.selector, late.deadline));
        vm.prank(RELAYER);
        book.createWithIntent(late, lateSig, _none());
    }

    function test_aSignatureForAnotherChainOrBookIsRefused() public {
        OrderBook.OrderIntent memory intent = _redeemIntent(holder, 1e6, 0);
        bytes memory sig = _sign(HOLDER_PK, intent);
        // The same intent on another deployment of the book (another verifying contract).
        OrderBook other = new OrderBook(ADMIN, factory, RECOVERY_WINDOW);
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookIntentNotSigned.selector, holder));
        other.createWithIntent(intent, sig, _none());
        // And on another chain id.
        vm.chainId(block.chainid + 1);
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookIntentNotSigned.selector, holder));
        book.createWithIntent(intent, sig, _none());
    }

    function test_aFrontRunPermitStillLetsTheOrderThrough() public {
        OrderBook.OrderIntent memory intent = _redeemIntent(holder, 2e6, 0);
        OrderBook.Permit memory permit = _permit(HOLDER_PK, address(aapl), 2e6);
        // Someone watching the mempool submits the permit first.
        IERC20Permit(address(aapl)).permit(holder, address(book), 2e6, permit.deadline, permit.v, permit.r, permit.s);
        bytes memory sig = _sign(HOLDER_PK, intent);
        vm.prank(RELAYER);
        uint256 id = book.createWithIntent(intent, sig, permit);
        assertEq(book.getOrder(id).owner, holder, "created");
        assertEq(aapl.balanceOf(holder), 3e6, "locked");
    }

    function test_withoutAllowanceOrPermitTheOrderFailsAndNothingIsTaken() public {
        OrderBook.OrderIntent memory intent = _redeemIntent(holder, 2e6, 0);
        bytes memory sig = _sign(HOLDER_PK, intent);
        vm.prank(RELAYER);
        (bool ok,) = address(book).call(abi.encodeCall(book.createWithIntent, (intent, sig, _none())));
        assertTrue(!ok, "refused");
        assertEq(book.nonces(holder), 0, "nonce not used");
        assertEq(aapl.balanceOf(holder), 5e6, "nothing taken");
    }

    function test_anErc1271WalletsIntentWorks() public {
        TestSmartWallet wallet = new TestSmartWallet(holder);
        vm.prank(MINTER);
        factory.mint("AAPL", address(wallet), 1e6);
        vm.prank(address(wallet));
        aapl.approve(address(book), 1e6);
        OrderBook.OrderIntent memory intent = _redeemIntent(address(wallet), 1e6, 0);
        bytes memory sig = _sign(HOLDER_PK, intent);
        vm.prank(RELAYER);
        uint256 id = book.createWithIntent(intent, sig, _none());
        assertEq(book.getOrder(id).owner, address(wallet), "the wallet's order");
        // Its owner's key signing for another wallet's intent proves nothing for that wallet.
        OrderBook.OrderIntent memory notTheirs = _redeemIntent(address(0xCAFE), 1e6, 0);
        bytes memory notTheirsSig = _sign(HOLDER_PK, notTheirs);
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookIntentNotSigned.selector, address(0xCAFE)));
        book.createWithIntent(notTheirs, notTheirsSig, _none());
    }

    function test_aGaslessMintWithDeveloperGasTakesTheDepositFromTheRelayerAndRefundsItThere() public {
        OrderBook.OrderIntent memory intent = _mintIntent(0, OrderBook.GasSponsor.DEVELOPER);
        uint256 lock = book.mintLockOf(intent.notionalBound, intent.terms);
        OrderBook.Permit memory permit = _permit(HOLDER_PK, address(usdc), lock);
        bytes memory sig = _sign(HOLDER_PK, intent);
        vm.startPrank(RELAYER);
        usdc.approve(address(book), type(uint256).max);
        uint256 id = book.createWithIntent(intent, sig, permit);
        vm.stopPrank();
        assertEq(usdc.balanceOf(holder), 10_000e6 - lock, "the holder locks the mint");
        assertEq(usdc.balanceOf(RELAYER), 1_000e6 - 3e6, "the relayer deposits the gas");
        (OrderBook.Fill memory fill, bytes memory fillSig) = _attest(id, 800e6);
        _settle(fill, fillSig, 1e6);
        assertEq(AssetToken(factory.tokenOf("NVDA")).balanceOf(DEST), 2e6, "minted");
        assertEq(usdc.balanceOf(RELAYER), 1_000e6 - 1e6, "the unused deposit back to the relayer");
    }

    function test_cancellingARelayedOrderReturnsTheLockToTheOwnerAndTheDepositToTheRelayer() public {
        OrderBook.OrderIntent memory intent = _mintIntent(0, OrderBook.GasSponsor.DEVELOPER);
        uint256 lock = book.mintLockOf(intent.notionalBound, intent.terms);
        vm.prank(RELAYER);
        usdc.approve(address(book), type(uint256).max);
        bytes memory sig = _sign(HOLDER_PK, intent);
        OrderBook.Permit memory permit = _permit(HOLDER_PK, address(usdc), lock);
        vm.prank(RELAYER);
        uint256 id = book.createWithIntent(intent, sig, permit);
        vm.prank(KEEPER);
        book.cancel(id);
        assertEq(usdc.balanceOf(holder), 10_000e6, "lock back to the holder");
        assertEq(usdc.balanceOf(RELAYER), 1_000e6, "deposit back to the relayer");
        assertEq(book.reservedOf(address(usdc)), 0, "nothing reserved");
    }

    function test_aMalformedIntentIsRefused() public {
        OrderBook.OrderIntent memory intent = _redeemIntent(holder, 1e6, 0);
        intent.symbol = "AAPL";
        bytes memory sig = _sign(HOLDER_PK, intent);
        vm.expectRevert(OrderBook.OrderBookIntentMalformed.selector);
        book.createWithIntent(intent, sig, _none());
    }

    /// @notice Fuzz over the intent's fields: a signed intent creates the order it describes, and a
    ///         signature over it does not carry over to an intent differing in quantity.
    function testFuzz_theOrderIsTheIntent(uint256 quantity, uint256 minNotional, address destination, uint64 ttl)
        public
    {
        quantity = 1 + (quantity % 5e6);
        minNotional = 1 + (minNotional % 1_000_000e6);
        vm.assume(destination != address(0));
        ttl = uint64(1 + (ttl % 30 days));
        OrderBook.OrderIntent memory intent = OrderBook.OrderIntent(
            holder,
            OrderBook.Side.REDEEM,
            "",
            address(aapl),
            quantity,
            address(usdc),
            minNotional,
            destination,
            _terms(0),
            0,
            uint64(block.timestamp) + ttl
        );
        bytes memory sig = _sign(HOLDER_PK, intent);
        vm.prank(holder);
        aapl.approve(address(book), type(uint256).max);
        OrderBook.OrderIntent memory other = OrderBook.OrderIntent(
            intent.owner,
            intent.side,
            intent.symbol,
            intent.token,
            quantity == 1 ? 2 : quantity - 1,
            intent.currency,
            intent.notionalBound,
            intent.destination,
            intent.terms,
            intent.nonce,
            intent.deadline
        );
        vm.expectRevert(abi.encodeWithSelector(OrderBook.OrderBookIntentNotSigned.selector, holder));
        book.createWithIntent(other, sig, _none());
        uint256 id = book.createWithIntent(intent, sig, _none());
        OrderBook.Order memory o = book.getOrder(id);
        assertEq(o.owner, holder, "owner");
        assertEq(o.quantity, quantity, "quantity");
        assertEq(o.notionalBound, minNotional, "minimum");
        assertEq(o.destination, destination, "destination");
        assertEq(aapl.balanceOf(holder), 5e6 - quantity, "locked from the holder");
    }
}
