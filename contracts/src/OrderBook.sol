// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {AssetToken} from "./AssetToken.sol";
import {IAssetTokenFactory} from "./IAssetTokenFactory.sol";

/// @title OrderBook: redeem orders that lock asset tokens and settle by burn-and-pay in one tx.
/// @notice Redeem lifecycle (reference/redeem-flow.txt): {createRedeem} locks the holder's tokens
///         here and creates the order, QUEUED out of session or ACTIVE in session; the keeper
///         {promote}s a QUEUED order when the venue opens; once the broker has offset the
///         underlying the keeper calls {settle} with the broker's fill, attested (EIP-712) by a
///         holder of ATTESTER_ROLE: it burns exactly the locked tokens and pays gross notional minus
///         costs, as the attestation says, from this contract's payout pool to the destination, so
///         the keeper cannot pay an amount on its own word; if the broker leg fails
///         the keeper calls {cancel} and the tokens go back to the owner; if neither happens within
///         the recovery window the owner can {userCancel}. SETTLED and CANCELLED are final.
///         Amounts: token quantities in the token's base units (1e-6 share); notionals in the payout
///         stablecoin's base units (1e-6 USD).
contract OrderBook is AccessControl, ReentrancyGuard, EIP712 {
    using SafeERC20 for IERC20;

    /// @notice Role of the keeper that promotes, settles and cancels orders and sets the session flag.
    bytes32 public constant KEEPER_ROLE = keccak256("KEEPER_ROLE");
    /// @notice Role of the broker's attester, whose EIP-712 signature over a {Fill} a settle needs.
    bytes32 public constant ATTESTER_ROLE = keccak256("ATTESTER_ROLE");

    /// @notice A broker fill as the attester signs it (EIP-712 domain "Lockstep OrderBook", version
    ///         "1", this chain and this contract). Amounts in the payout stablecoin's base units.
    /// @param orderId the order it fills
    /// @param quantity the asset quantity offset, equal to the order's
    /// @param grossNotional proceeds of the offset
    /// @param costs the broker's costs, deducted from the proceeds
    /// @param expiry last unix second the attestation may be used
    struct Fill {
        uint256 orderId;
        uint256 quantity;
        uint256 grossNotional;
        uint256 costs;
        uint64 expiry;
    }

    /// @notice EIP-712 type hash of {Fill}.
    bytes32 public constant FILL_TYPEHASH =
        keccak256("Fill(uint256 orderId,uint256 quantity,uint256 grossNotional,uint256 costs,uint64 expiry)");

    /// @notice Order status. NONE means "no such order".
    enum Status {
        NONE,
        QUEUED,
        ACTIVE,
        SETTLED,
        CANCELLED
    }

    /// @notice Order side. Only REDEEM exists so far; MINT orders arrive later.
    enum Side {
        REDEEM
    }

    /// @notice One order as stored.
    struct Order {
        address owner;
        uint64 createdAt;
        Status status;
        Side side;
        address token;
        address payoutToken;
        address destination;
        uint256 quantity;
        uint256 minNotional;
    }

    IAssetTokenFactory private immutable _factory;
    uint64 private immutable _recoveryWindow;

    uint256 private _nextOrderId = 1;
    bool private _sessionOpen;
    mapping(uint256 orderId => Order) private _orders;
    mapping(address token => uint256 quantity) private _locked;
    mapping(address token => bool accepted) private _payoutCurrencies;
    mapping(bytes32 digest => bool used) private _usedFills;

    /// @notice An order was created and `quantity` of `token` locked from `owner`.
    event OrderCreated(
        uint256 indexed orderId,
        address indexed owner,
        address indexed token,
        Side side,
        Status status,
        uint256 quantity,
        address payoutToken,
        uint256 minNotional,
        address destination
    );
    /// @notice A QUEUED order became ACTIVE.
    event OrderPromoted(uint256 indexed orderId);
    /// @notice An order settled: its locked tokens were burned and `payout` sent to its destination.
    event OrderSettled(uint256 indexed orderId, uint256 grossNotional, uint256 payout);
    /// @notice An order was cancelled by `by` (the keeper, or the owner after the recovery window) and its tokens returned.
    event OrderCancelled(uint256 indexed orderId, address indexed by);
    /// @notice The session flag that decides a new order's first status changed.
    event SessionOpenSet(bool open);
    /// @notice A payout stablecoin was accepted or removed.
    event PayoutCurrencySet(address indexed token, bool accepted);

    /// @notice `token` was not deployed by the factory.
    error OrderBookUnknownToken(address token);
    /// @notice `token` is not an accepted payout stablecoin.
    error OrderBookPayoutCurrencyNotAccepted(address token);
    /// @notice Quantity must be positive.
    error OrderBookZeroQuantity();
    /// @notice The destination is the zero address.
    error OrderBookInvalidDestination();
    /// @notice The order is not in the status the call needs (`status` is its current one).
    error OrderBookOrderNotActive(uint256 orderId, Status status);
    /// @notice The order is not QUEUED.
    error OrderBookOrderNotQueued(uint256 orderId, Status status);
    /// @notice The order is already final (SETTLED or CANCELLED) or does not exist (NONE).
    error OrderBookOrderNotOpen(uint256 orderId, Status status);
    /// @notice The payout is below the order's minimum notional.
    error OrderBookPayoutBelowMinimum(uint256 orderId, uint256 payout, uint256 minNotional);
    /// @notice The payout pool holds less than the payout.
    error OrderBookInsufficientLiquidity(address payoutToken, uint256 available, uint256 required);
    /// @notice Only the order's owner may call this.
    error OrderBookNotOrderOwner(uint256 orderId, address caller);
    /// @notice The recovery window has not elapsed; userCancel opens at `availableAt` (unix seconds).
    error OrderBookRecoveryWindowNotElapsed(uint256 orderId, uint256 availableAt);
    /// @notice The fill attestation's expiry (unix seconds) has passed.
    error OrderBookFillExpired(uint256 orderId, uint64 expiry);
    /// @notice The fill's quantity is not the order's.
    error OrderBookFillQuantityMismatch(uint256 orderId, uint256 fillQuantity, uint256 orderQuantity);
    /// @notice The fill is not signed by `attester`, or `attester` does not hold ATTESTER_ROLE.
    error OrderBookFillNotAttested(uint256 orderId, address attester);
    /// @notice This fill attestation was used already.
    error OrderBookFillAlreadyUsed(bytes32 digest);

    /// @param admin receives DEFAULT_ADMIN_ROLE.
    /// @param factory_ the token factory; only its tokens can be redeemed.
    /// @param recoveryWindowSeconds seconds after creation from which the owner may {userCancel}.
    constructor(address admin, IAssetTokenFactory factory_, uint64 recoveryWindowSeconds)
        EIP712("Lockstep OrderBook", "1")
    {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _factory = factory_;
        _recoveryWindow = recoveryWindowSeconds;
    }

    // ---- views ----

    /// @notice The order `orderId` (status NONE if it does not exist).
    function getOrder(uint256 orderId) external view returns (Order memory) {
        return _orders[orderId];
    }

    /// @notice The status of order `orderId`.
    function statusOf(uint256 orderId) external view returns (Status) {
        return _orders[orderId].status;
    }

    /// @notice Total quantity of `token` locked in open orders; always equals this contract's balance of `token`
    ///         unless someone transferred tokens here directly.
    function lockedOf(address token) external view returns (uint256) {
        return _locked[token];
    }

    /// @notice The id the next order will get. Ids start at 1.
    function nextOrderId() external view returns (uint256) {
        return _nextOrderId;
    }

    /// @notice Seconds after creation from which the owner may cancel an open order.
    function recoveryWindow() external view returns (uint64) {
        return _recoveryWindow;
    }

    /// @notice Whether new orders start ACTIVE (true) or QUEUED (false).
    function sessionOpen() external view returns (bool) {
        return _sessionOpen;
    }

    /// @notice Whether `token` is accepted as a payout stablecoin.
    function isPayoutCurrency(address token) external view returns (bool) {
        return _payoutCurrencies[token];
    }

    /// @notice The token factory.
    function factory() external view returns (address) {
        return address(_factory);
    }

    // ---- administration ----

    /// @notice Accepts or removes `token` as a payout stablecoin. Caller needs DEFAULT_ADMIN_ROLE.
    function setPayoutCurrency(address token, bool accepted) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _payoutCurrencies[token] = accepted;
        emit PayoutCurrencySet(token, accepted);
    }

    /// @notice Sets whether new orders start ACTIVE. Caller needs KEEPER_ROLE (driven by the venue calendar).
    function setSessionOpen(bool open) external onlyRole(KEEPER_ROLE) {
        _sessionOpen = open;
        emit SessionOpenSet(open);
    }

    // ---- lifecycle ----

    /// @notice Locks `quantity` of the caller's `token` and creates a redeem order paying at least
    ///         `minNotional` of `payoutToken` to `destination` on settlement. Needs a prior approve (or permit).
    /// @return orderId the new order's id.
    function createRedeem(
        address token,
        uint256 quantity,
        address payoutToken,
        uint256 minNotional,
        address destination
    ) external nonReentrant returns (uint256 orderId) {
        if (!_factory.isToken(token)) revert OrderBookUnknownToken(token);
        if (!_payoutCurrencies[payoutToken]) revert OrderBookPayoutCurrencyNotAccepted(payoutToken);
        if (quantity == 0) revert OrderBookZeroQuantity();
        if (destination == address(0)) revert OrderBookInvalidDestination();

        orderId = _nextOrderId++;
        Status status = _sessionOpen ? Status.ACTIVE : Status.QUEUED;
        _orders[orderId] = Order({
            owner: msg.sender,
            createdAt: uint64(block.timestamp),
            status: status,
            side: Side.REDEEM,
            token: token,
            payoutToken: payoutToken,
            destination: destination,
            quantity: quantity,
            minNotional: minNotional
        });
        _locked[token] += quantity;
        emit OrderCreated(
            orderId, msg.sender, token, Side.REDEEM, status, quantity, payoutToken, minNotional, destination
        );

        IERC20(token).safeTransferFrom(msg.sender, address(this), quantity);
    }

    /// @notice Makes a QUEUED order ACTIVE. Caller needs KEEPER_ROLE.
    function promote(uint256 orderId) external onlyRole(KEEPER_ROLE) {
        Order storage o = _orders[orderId];
        if (o.status != Status.QUEUED) revert OrderBookOrderNotQueued(orderId, o.status);
        o.status = Status.ACTIVE;
        emit OrderPromoted(orderId);
    }

    /// @notice The EIP-712 digest an attester signs for `fill`.
    function fillDigest(Fill calldata fill) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(FILL_TYPEHASH, fill.orderId, fill.quantity, fill.grossNotional, fill.costs, fill.expiry)
            )
        );
    }

    /// @notice Settles an ACTIVE order at the broker's attested fill: burns the locked tokens and pays
    ///         `fill.grossNotional - fill.costs` to the destination. Caller needs KEEPER_ROLE; the fill
    ///         must be signed by `attester` (an EOA, or an ERC-1271 contract) holding ATTESTER_ROLE,
    ///         unexpired, for the order's quantity, and unused. A payout below the order's minimum
    ///         notional reverts with {OrderBookPayoutBelowMinimum}.
    function settle(Fill calldata fill, address attester, bytes calldata signature)
        external
        onlyRole(KEEPER_ROLE)
        nonReentrant
    {
        uint256 orderId = fill.orderId;
        Order storage o = _orders[orderId];
        if (o.status != Status.ACTIVE) revert OrderBookOrderNotActive(orderId, o.status);
        if (block.timestamp > fill.expiry) revert OrderBookFillExpired(orderId, fill.expiry);
        if (fill.quantity != o.quantity) revert OrderBookFillQuantityMismatch(orderId, fill.quantity, o.quantity);
        bytes32 digest = fillDigest(fill);
        if (_usedFills[digest]) revert OrderBookFillAlreadyUsed(digest);
        if (!hasRole(ATTESTER_ROLE, attester) || !SignatureChecker.isValidSignatureNow(attester, digest, signature)) {
            revert OrderBookFillNotAttested(orderId, attester);
        }
        uint256 payout = fill.grossNotional > fill.costs ? fill.grossNotional - fill.costs : 0;
        if (payout < o.minNotional) revert OrderBookPayoutBelowMinimum(orderId, payout, o.minNotional);
        uint256 available = IERC20(o.payoutToken).balanceOf(address(this));
        if (available < payout) revert OrderBookInsufficientLiquidity(o.payoutToken, available, payout);

        _usedFills[digest] = true;
        o.status = Status.SETTLED;
        _locked[o.token] -= o.quantity;
        emit OrderSettled(orderId, fill.grossNotional, payout);

        AssetToken(o.token).burn(o.quantity);
        IERC20(o.payoutToken).safeTransfer(o.destination, payout);
    }

    /// @notice Cancels an open (QUEUED or ACTIVE) order and returns its tokens to the owner. Caller needs KEEPER_ROLE.
    function cancel(uint256 orderId) external onlyRole(KEEPER_ROLE) nonReentrant {
        _cancel(orderId);
    }

    /// @notice Lets the owner cancel an open order once the recovery window has elapsed since creation,
    ///         so holders can always exit even if the keeper is gone.
    function userCancel(uint256 orderId) external nonReentrant {
        Order storage o = _orders[orderId];
        if (o.owner != msg.sender) revert OrderBookNotOrderOwner(orderId, msg.sender);
        uint256 availableAt = uint256(o.createdAt) + _recoveryWindow;
        if (block.timestamp < availableAt) revert OrderBookRecoveryWindowNotElapsed(orderId, availableAt);
        _cancel(orderId);
    }

    function _cancel(uint256 orderId) private {
        Order storage o = _orders[orderId];
        if (o.status != Status.QUEUED && o.status != Status.ACTIVE) revert OrderBookOrderNotOpen(orderId, o.status);
        o.status = Status.CANCELLED;
        _locked[o.token] -= o.quantity;
        emit OrderCancelled(orderId, msg.sender);

        IERC20(o.token).safeTransfer(o.owner, o.quantity);
    }
}
