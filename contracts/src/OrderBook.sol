// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {AssetToken} from "./AssetToken.sol";
import {IAssetTokenFactory} from "./IAssetTokenFactory.sol";

/// @title OrderBook: mint and redeem orders that lock funds and settle in one tx at an attested fill.
/// @notice Lifecycle (reference/redeem-flow.txt, platform-docs "Mint"): an order is created QUEUED out of
///         session or ACTIVE in session; the keeper {promote}s a QUEUED order when the venue opens; once
///         the broker has filled the underlying the keeper calls {settle} with the broker's fill, attested
///         (EIP-712) by a holder of ATTESTER_ROLE, so no amount is paid or minted on the keeper's word; if
///         the broker leg fails the keeper calls {cancel} and everything locked goes back; if neither
///         happens within the recovery window the owner can {userCancel}. SETTLED and CANCELLED are final.
///
///         - Redeem ({createRedeem}): locks the holder's asset tokens. Settle burns exactly them and pays
///           `grossNotional - costs - platform fee - developer fee - gas (user_notional)` from the payout
///           pool to the destination, never less than the order's minimum.
///         - Mint ({createMint}): locks the buyer's stablecoin covering the maximum notional, the maximum
///           fees and (user_notional) the maximum gas. Settle mints `quantity` through the factory
///           (deploying the asset's token with CREATE2 in the same transaction when it does not exist yet),
///           sends the notional (`grossNotional + costs`, at most the maximum), the platform fee and the
///           gas to the treasury, accrues the developer fee, and refunds the rest to the buyer.
///
///         Fees and gas are the order's {Terms}, fixed at creation: platform fee (at least
///         {minPlatformFeeBps}), developer fee (accrued in this contract's fee escrow for its recipient
///         until swept), and the gas sponsor: USER_NOTIONAL takes the gas from the order's own money
///         (redeem proceeds, the mint's lock); DEVELOPER takes it from a gas deposit of `maxGas` the
///         creator locks beside the order. The keeper states the gas of a settle, capped at the
///         order's `maxGas`, which its creator agreed to. Fees round up (in the book's favour), so no
///         sequence of orders creates value.
///
///         Amounts: asset quantities in the token's base units (1e-6 share); notionals, fees and gas in
///         the stablecoin's base units (1e-6 USD). The payout pool of a stablecoin is this contract's
///         balance of it minus what is reserved (mint locks, gas deposits, unswept developer fees).
contract OrderBook is AccessControl, ReentrancyGuard, EIP712, Nonces {
    using SafeERC20 for IERC20;

    /// @notice Role of the keeper that promotes, settles and cancels orders, sets the session flag and
    ///         sweeps developer fees to their recipients.
    bytes32 public constant KEEPER_ROLE = keccak256("KEEPER_ROLE");
    /// @notice Role of the broker's attester, whose EIP-712 signature over a {Fill} a settle needs.
    bytes32 public constant ATTESTER_ROLE = keccak256("ATTESTER_ROLE");

    /// @notice Basis points in one whole.
    uint256 public constant BPS = 10_000;
    /// @notice Most an order's platform and developer fees may add up to, in basis points (10%).
    uint256 public constant MAX_FEE_BPS = 1_000;

    /// @notice A broker fill as the attester signs it (EIP-712 domain "Lockstep OrderBook", version
    ///         "1", this chain and this contract). Amounts in the order's stablecoin base units.
    /// @param orderId the order it fills
    /// @param quantity the asset quantity bought (mint) or offset (redeem), equal to the order's
    /// @param grossNotional the price of the quantity
    /// @param costs the broker's costs: added to what a mint pays, deducted from what a redeem pays
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

    /// @notice Order status. NONE means "no such order". ARMED: a trigger order waiting for its
    ///         condition; {trigger} makes it ACTIVE (or QUEUED out of session).
    enum Status {
        NONE,
        QUEUED,
        ACTIVE,
        SETTLED,
        CANCELLED,
        ARMED
    }

    /// @notice Order side.
    enum Side {
        REDEEM,
        MINT
    }

    /// @notice Who pays a settle's gas: the order's own money (USER_NOTIONAL: deducted from redeem
    ///         proceeds, included in a mint's lock) or a deposit its creator locks (DEVELOPER).
    enum GasSponsor {
        USER_NOTIONAL,
        DEVELOPER
    }

    /// @notice An order's fees and gas, fixed at creation.
    /// @param platformFeeBps platform fee on the notional, at least {minPlatformFeeBps}
    /// @param developerFeeBps developer fee on the notional, accrued to `developerFeeRecipient`
    /// @param developerFeeRecipient where the developer fee accrues (required when `developerFeeBps` > 0)
    /// @param gasSponsor who pays the settle's gas
    /// @param maxGas most the settle's gas may cost, in stablecoin base units
    struct Terms {
        uint16 platformFeeBps;
        uint16 developerFeeBps;
        address developerFeeRecipient;
        GasSponsor gasSponsor;
        uint256 maxGas;
    }

    /// @notice A holder's order signed off chain (EIP-712, this contract's domain) for anyone to submit
    ///         with {createWithIntent}: the holder needs no ETH. The order belongs to `owner`.
    /// @param side REDEEM (locks `quantity` of `token`) or MINT (locks {mintLockOf} of `currency`)
    /// @param symbol a mint's asset symbol; empty for a redeem
    /// @param token a redeem's asset token; the zero address for a mint
    /// @param notionalBound redeem: minimum net payout; mint: maximum notional (gross + costs)
    /// @param nonce the owner's next nonce ({nonces}); each intent is used once, in order
    /// @param deadline last unix second the intent may be submitted
    struct OrderIntent {
        address owner;
        Side side;
        string symbol;
        address token;
        uint256 quantity;
        address currency;
        uint256 notionalBound;
        address destination;
        Terms terms;
        uint256 nonce;
        uint64 deadline;
    }

    /// @notice A limit order's price bound and lifetime (reference redeem-flow "redeem.limit with
    ///         limit_price + good_till").
    /// @param price stablecoin base units per whole share (1e6 asset base units): a redeem settles
    ///        only at an attested gross notional of at least `price` x quantity, a mint at most
    /// @param goodTill last unix second the order may settle; after it the keeper cancels it and the
    ///        owner may {userCancel} it at once, without waiting for the recovery window
    struct Limit {
        uint256 price;
        uint64 goodTill;
    }

    /// @notice What arms a trigger sell (reference redeem-flow "Limit and trigger sells").
    enum TriggerKind {
        NONE,
        STOP_LOSS,
        TAKE_PROFIT
    }

    /// @notice A trigger sell's condition and lifetime. The keeper triggers it when the asset's 30 s
    ///         TWAP crosses `price` (STOP_LOSS: at or below it; TAKE_PROFIT: at or above it); a
    ///         TAKE_PROFIT then settles only at an attested gross notional of at least `price` x quantity
    ///         (as a limit sell), a STOP_LOSS at the market within the order's minimum payout.
    /// @param price stablecoin base units per whole share (1e6 asset base units), above 0
    /// @param goodTill last unix second the order may trigger or settle; after it the keeper cancels it
    ///        and the owner may {userCancel} it
    struct Trigger {
        TriggerKind kind;
        uint256 price;
        uint64 goodTill;
    }

    /// @notice A one-cancels-other pair over one lock: a stop-loss below a take-profit. Whichever leg
    ///         triggers first cancels the other in the same transaction, so at most one leg ever fills.
    struct Oco {
        uint256 stopPrice;
        uint256 takeProfitPrice;
        uint64 goodTill;
    }

    /// @notice The per-block circuit breakers (reference platform-docs "Per-block guardrails"), in the
    ///         order's stablecoin base units; 0 turns a breaker off. Set by DEFAULT_ADMIN_ROLE.
    /// @param mintMaxPerAddressPerBlock most one owner's mints may bound (maximum notional) in a block
    /// @param mintMaxTotalPerBlock most all mints may bound in a block
    /// @param mintMinPerTx least a mint may bound (a dust floor)
    /// @param mintDailyPerAsset most an asset's mints may bound over a rolling day (a sliding window:
    ///        the previous UTC day counts in proportion to what is left of its 24 hours)
    /// @param redeemMaxPerBlock most all redeems may bound (minimum payout) in a block
    struct Guardrails {
        uint256 mintMaxPerAddressPerBlock;
        uint256 mintMaxTotalPerBlock;
        uint256 mintMinPerTx;
        uint256 mintDailyPerAsset;
        uint256 redeemMaxPerBlock;
    }

    /// @notice Which breaker a create would breach.
    enum Guardrail {
        MINT_MAX_NOTIONAL_PER_ADDRESS_PER_BLOCK,
        MINT_MAX_TOTAL_PER_BLOCK,
        MINT_MIN_PER_TX,
        MINT_DAILY_NOTIONAL_PER_ASSET,
        REDEEM_MAX_PER_BLOCK
    }

    /// @dev An amount counted within one block (reset when the block changes).
    struct BlockTally {
        uint64 blockNumber;
        uint192 amount;
    }

    /// @dev An asset's mints counted per UTC day, this one and the one before.
    struct DayTally {
        uint64 day;
        uint96 previous;
        uint96 current;
    }

    /// @notice An EIP-2612 permit of the token an intent locks (value 0 and deadline 0: none).
    struct Permit {
        uint256 value;
        uint256 deadline;
        uint8 v;
        bytes32 r;
        bytes32 s;
    }

    /// @notice EIP-712 type hash of {Terms}.
    bytes32 public constant TERMS_TYPEHASH = keccak256(
        "Terms(uint16 platformFeeBps,uint16 developerFeeBps,address developerFeeRecipient,uint8 gasSponsor,uint256 maxGas)"
    );
    /// @notice EIP-712 type hash of {OrderIntent} (with {Terms} appended, as EIP-712 encodes a nested struct).
    bytes32 public constant INTENT_TYPEHASH = keccak256(
        "OrderIntent(address owner,uint8 side,string symbol,address token,uint256 quantity,address currency,uint256 notionalBound,address destination,Terms terms,uint256 nonce,uint64 deadline)"
        "Terms(uint16 platformFeeBps,uint16 developerFeeBps,address developerFeeRecipient,uint8 gasSponsor,uint256 maxGas)"
    );

    /// @notice One order as stored.
    /// @param token the asset token (for a mint: its CREATE2 address, deployed or not yet)
    /// @param currency the stablecoin paid out (redeem) or paid in (mint)
    /// @param destination where the proceeds (redeem) or the minted tokens (mint) go
    /// @param notionalBound redeem: the minimum net payout; mint: the maximum notional (gross + costs)
    /// @param locked stablecoin locked from the owner: a mint's lock; 0 for a redeem
    /// @param gasDeposit stablecoin the owner deposited for gas (DEVELOPER sponsor), else 0
    /// @param symbol a mint's asset symbol, ASCII right-padded with zero bytes; 0 for a redeem
    struct Order {
        address owner;
        uint64 createdAt;
        Status status;
        Side side;
        address token;
        address currency;
        address destination;
        uint256 quantity;
        uint256 notionalBound;
        uint256 locked;
        uint256 gasDeposit;
        bytes32 symbol;
        Terms terms;
    }

    IAssetTokenFactory private immutable _factory;
    uint64 private immutable _recoveryWindow;

    uint256 private _nextOrderId = 1;
    bool private _sessionOpen;
    address private _treasury;
    uint16 private _minPlatformFeeBps;
    mapping(uint256 orderId => Order) private _orders;
    mapping(address token => uint256 quantity) private _locked;
    mapping(address token => bool accepted) private _payoutCurrencies;
    mapping(bytes32 digest => bool used) private _usedFills;
    mapping(address currency => uint256 amount) private _reserved;
    mapping(address recipient => mapping(address currency => uint256 amount)) private _developerFees;
    /// @dev Who paid a relayed order's gas deposit, when not its owner (the submitter of the intent).
    mapping(uint256 orderId => address sponsor) private _sponsors;
    /// @dev Limit orders' price bound and lifetime (absent: a market order, good until settled).
    mapping(uint256 orderId => Limit) private _limits;
    Guardrails private _guardrails;
    mapping(address owner => BlockTally) private _mintsByOwner;
    BlockTally private _mintsTotal;
    BlockTally private _redeemsTotal;
    mapping(bytes32 symbol => DayTally) private _mintsByAsset;
    /// @dev Trigger orders' condition (absent: not a trigger order).
    mapping(uint256 orderId => Trigger) private _triggers;
    /// @dev The other leg of an OCO pair (0: none).
    mapping(uint256 orderId => uint256 peer) private _ocoPeers;
    /// @dev Set while a trigger order is being stored, so that it is created ARMED.
    bool private transient _arming;

    /// @notice Order `orderId` was created from `owner`'s signed intent with nonce `nonce`, submitted by `relayer`.
    event OrderIntentUsed(uint256 indexed orderId, address indexed owner, uint256 nonce, address relayer);

    /// @notice An order was created. `token` is the asset; `currency` the stablecoin paid out (redeem)
    ///         or in (mint); `notionalBound` the minimum payout (redeem) or maximum notional (mint).
    event OrderCreated(
        uint256 indexed orderId,
        address indexed owner,
        address indexed token,
        Side side,
        Status status,
        uint256 quantity,
        address currency,
        uint256 notionalBound,
        address destination
    );
    /// @notice The terms of order `orderId`, emitted with {OrderCreated}; `locked` is a mint's stablecoin lock.
    event OrderTermsSet(
        uint256 indexed orderId,
        uint16 platformFeeBps,
        uint16 developerFeeBps,
        address developerFeeRecipient,
        GasSponsor gasSponsor,
        uint256 maxGas,
        uint256 locked
    );
    /// @notice The asset a mint order buys, by symbol: its token may not be deployed yet (emitted
    ///         with {OrderCreated} for mints only).
    event MintAsset(uint256 indexed orderId, string symbol);
    /// @notice Order `orderId` is a limit order: it settles only at `limitPrice` or better (stablecoin
    ///         base units per whole share) and not after `goodTill` (unix seconds). Emitted with
    ///         {OrderCreated}.
    event OrderLimitSet(uint256 indexed orderId, uint256 limitPrice, uint64 goodTill);
    /// @notice Trigger order `orderId` was created ARMED with this condition; `ocoPeer` is the other leg
    ///         of its OCO pair (0: none).
    event OrderTriggerSet(
        uint256 indexed orderId, TriggerKind kind, uint256 triggerPrice, uint64 goodTill, uint256 ocoPeer
    );

    /// @notice Trigger order `orderId` triggered at the keeper's observed `mark` (stablecoin base units
    ///         per whole share) and is now `status` (ACTIVE, or QUEUED out of session).
    event OrderTriggered(uint256 indexed orderId, uint256 mark, Status status);

    /// @notice A QUEUED order became ACTIVE.
    event OrderPromoted(uint256 indexed orderId);
    /// @notice An order settled at `grossNotional`. `payout`: a redeem's net proceeds sent to the
    ///         destination; a mint's refund to the owner.
    event OrderSettled(uint256 indexed orderId, uint256 grossNotional, uint256 payout);
    /// @notice What a settle charged: the broker's costs, the platform fee and gas (sent to the
    ///         treasury) and the developer fee (accrued in the escrow).
    event OrderCharged(uint256 indexed orderId, uint256 costs, uint256 platformFee, uint256 developerFee, uint256 gas);
    /// @notice An order was cancelled by `by` (the keeper, or the owner after the recovery window) and
    ///         what it locked returned.
    event OrderCancelled(uint256 indexed orderId, address indexed by);
    /// @notice A developer fee accrued to `recipient` in the escrow.
    event DeveloperFeeAccrued(
        address indexed recipient, address indexed currency, uint256 indexed orderId, uint256 amount
    );
    /// @notice `recipient`'s accrued developer fees in `currency` were paid out.
    event DeveloperFeesSwept(address indexed recipient, address indexed currency, uint256 amount);
    /// @notice The session flag that decides a new order's first status changed.
    event SessionOpenSet(bool open);
    /// @notice A payout stablecoin was accepted or removed.
    event PayoutCurrencySet(address indexed token, bool accepted);
    /// @notice The treasury that receives mint notionals, platform fees and gas changed.
    event TreasurySet(address indexed treasury);
    /// @notice The least platform fee an order may carry changed.
    event MinPlatformFeeBpsSet(uint16 bps);
    /// @notice The per-block circuit breakers changed.
    event GuardrailsSet(
        uint256 mintMaxPerAddressPerBlock,
        uint256 mintMaxTotalPerBlock,
        uint256 mintMinPerTx,
        uint256 mintDailyPerAsset,
        uint256 redeemMaxPerBlock
    );

    /// @notice `token` was not deployed by the factory.
    error OrderBookUnknownToken(address token);
    /// @notice `symbol` is not a valid asset symbol (see the factory's MAX_SYMBOL_LENGTH and alphabet).
    error OrderBookInvalidSymbol(string symbol);
    /// @notice `token` is not an accepted stablecoin.
    error OrderBookPayoutCurrencyNotAccepted(address token);
    /// @notice Quantity must be positive.
    error OrderBookZeroQuantity();
    /// @notice A redeem's minimum payout, or a mint's maximum notional, must be positive.
    error OrderBookZeroNotionalBound();
    /// @notice The destination is the zero address.
    error OrderBookInvalidDestination();
    /// @notice The platform fee is below the minimum, or the fees add up to more than MAX_FEE_BPS.
    error OrderBookInvalidFees(uint16 platformFeeBps, uint16 developerFeeBps);
    /// @notice A developer fee needs a recipient.
    error OrderBookInvalidFeeRecipient();
    /// @notice The order is not in the status the call needs (`status` is its current one).
    error OrderBookOrderNotActive(uint256 orderId, Status status);
    /// @notice The order is not QUEUED.
    error OrderBookOrderNotQueued(uint256 orderId, Status status);
    /// @notice The order is already final (SETTLED or CANCELLED) or does not exist (NONE).
    error OrderBookOrderNotOpen(uint256 orderId, Status status);
    /// @notice The net payout is below the redeem's minimum.
    error OrderBookPayoutBelowMinimum(uint256 orderId, uint256 payout, uint256 minNotional);
    /// @notice The fill's notional (gross + costs) is above the mint's maximum.
    error OrderBookNotionalAboveMaximum(uint256 orderId, uint256 notional, uint256 maxNotional);
    /// @notice The payout pool holds less than the settle pays out of it.
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
    /// @notice The intent's deadline has passed.
    error OrderBookIntentExpired(uint64 deadline);
    /// @notice The signature is not the intent owner's over this intent (EOA or ERC-1271).
    error OrderBookIntentNotSigned(address owner);
    /// @notice The intent's side does not match its asset fields (a redeem names a token, a mint a symbol).
    error OrderBookIntentMalformed();
    /// @notice The treasury is the zero address.
    error OrderBookInvalidTreasury();
    /// @notice A limit needs a positive price and a `goodTill` in the future.
    error OrderBookInvalidLimit(uint256 price, uint64 goodTill);
    /// @notice The fill's gross notional is worse than the order's limit (`bound` = limit x quantity).
    error OrderBookLimitNotMet(uint256 orderId, uint256 grossNotional, uint256 bound);
    /// @notice The order's `goodTill` has passed: it can no longer settle, only be cancelled.
    error OrderBookOrderExpired(uint256 orderId, uint64 goodTill);
    /// @notice A trigger's kind is NONE, its price 0, its goodTill past, or an OCO's stop is not below its take-profit.
    error OrderBookInvalidTrigger(TriggerKind kind, uint256 price, uint64 goodTill);
    /// @notice {trigger} needs an ARMED order.
    error OrderBookOrderNotArmed(uint256 orderId, Status status);
    /// @notice The stated mark does not meet the order's trigger price.
    error OrderBookTriggerNotReached(uint256 orderId, uint256 mark, uint256 triggerPrice);
    /// @notice The create would breach `limit`: `currentValue` (what the window would hold with this
    ///         order, or the order's own bound for the dust floor) against `limitValue`.
    error OrderBookGuardrail(Guardrail limit, uint256 limitValue, uint256 currentValue);

    /// @param admin receives DEFAULT_ADMIN_ROLE and is the first treasury.
    /// @param factory_ the token factory; only its tokens can be redeemed, and mints go through it
    ///        (this contract needs its MINTER_ROLE and BURNER_ROLE).
    /// @param recoveryWindowSeconds seconds after creation from which the owner may {userCancel}.
    constructor(address admin, IAssetTokenFactory factory_, uint64 recoveryWindowSeconds)
        EIP712("Lockstep OrderBook", "1")
    {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _factory = factory_;
        _recoveryWindow = recoveryWindowSeconds;
        _treasury = admin;
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

    /// @notice Total quantity of asset `token` locked in open redeems; always equals this contract's
    ///         balance of `token` unless someone transferred tokens here directly.
    function lockedOf(address token) external view returns (uint256) {
        return _locked[token];
    }

    /// @notice Stablecoin held for others: open mints' locks, gas deposits and unswept developer fees.
    function reservedOf(address currency) external view returns (uint256) {
        return _reserved[currency];
    }

    /// @notice The payout pool of `currency`: this contract's balance minus {reservedOf}.
    function payoutPoolOf(address currency) public view returns (uint256) {
        uint256 balance = IERC20(currency).balanceOf(address(this));
        uint256 reserved = _reserved[currency];
        return balance > reserved ? balance - reserved : 0;
    }

    /// @notice Developer fees accrued to `recipient` in `currency` and not yet swept.
    function developerFeesOf(address recipient, address currency) external view returns (uint256) {
        return _developerFees[recipient][currency];
    }

    /// @notice The limit of order `orderId` (price 0 and goodTill 0: a market order).
    function limitOf(uint256 orderId) external view returns (Limit memory) {
        return _limits[orderId];
    }

    /// @notice The trigger of order `orderId` (kind NONE: not a trigger order) and its OCO peer (0: none).
    function triggerOf(uint256 orderId) external view returns (Trigger memory trigger_, uint256 ocoPeer) {
        return (_triggers[orderId], _ocoPeers[orderId]);
    }

    /// @notice The per-block circuit breakers in force.
    function guardrails() external view returns (Guardrails memory) {
        return _guardrails;
    }

    /// @notice What the guardrail windows hold now for a create by `owner` of asset `symbol` (empty for
    ///         a redeem): `owner`'s mints in this block, all mints and all redeems in this block (0 once
    ///         the block has passed), and `symbol`'s mints over the rolling day.
    function guardrailUsage(address owner, string calldata symbol)
        external
        view
        returns (uint256 ownerMints, uint256 totalMints, uint256 totalRedeems, uint256 assetDay)
    {
        ownerMints = _inBlock(_mintsByOwner[owner]);
        totalMints = _inBlock(_mintsTotal);
        totalRedeems = _inBlock(_redeemsTotal);
        assetDay = _rollingDay(_mintsByAsset[bytes32(bytes(symbol))]);
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

    /// @notice Where mint notionals, platform fees and gas go.
    function treasury() external view returns (address) {
        return _treasury;
    }

    /// @notice The least platform fee, in basis points, an order may carry (a plain {createRedeem} carries it).
    function minPlatformFeeBps() external view returns (uint16) {
        return _minPlatformFeeBps;
    }

    /// @notice `amount * bps / BPS`, rounded up: fees always round in the book's favour.
    function feeOf(uint256 amount, uint16 bps) public pure returns (uint256) {
        return Math.mulDiv(amount, bps, BPS, Math.Rounding.Ceil);
    }

    /// @notice The stablecoin a mint of at most `maxNotional` under `terms` locks: the maximum notional,
    ///         its fees, and the maximum gas when the user pays it.
    function mintLockOf(uint256 maxNotional, Terms calldata terms) public pure returns (uint256) {
        uint256 gas = terms.gasSponsor == GasSponsor.USER_NOTIONAL ? terms.maxGas : 0;
        return maxNotional + feeOf(maxNotional, terms.platformFeeBps) + feeOf(maxNotional, terms.developerFeeBps) + gas;
    }

    // ---- administration ----

    /// @notice Accepts or removes `token` as a stablecoin. Caller needs DEFAULT_ADMIN_ROLE.
    function setPayoutCurrency(address token, bool accepted) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _payoutCurrencies[token] = accepted;
        emit PayoutCurrencySet(token, accepted);
    }

    /// @notice Sets the treasury. Caller needs DEFAULT_ADMIN_ROLE.
    function setTreasury(address treasury_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (treasury_ == address(0)) revert OrderBookInvalidTreasury();
        _treasury = treasury_;
        emit TreasurySet(treasury_);
    }

    /// @notice Sets the least platform fee of new orders, at most MAX_FEE_BPS. Caller needs DEFAULT_ADMIN_ROLE.
    function setMinPlatformFeeBps(uint16 bps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (bps > MAX_FEE_BPS) revert OrderBookInvalidFees(bps, 0);
        _minPlatformFeeBps = bps;
        emit MinPlatformFeeBpsSet(bps);
    }

    /// @notice Sets the per-block circuit breakers (0 turns one off). Caller needs DEFAULT_ADMIN_ROLE.
    function setGuardrails(Guardrails calldata g) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _guardrails = g;
        emit GuardrailsSet(
            g.mintMaxPerAddressPerBlock,
            g.mintMaxTotalPerBlock,
            g.mintMinPerTx,
            g.mintDailyPerAsset,
            g.redeemMaxPerBlock
        );
    }

    /// @notice Sets whether new orders start ACTIVE. Caller needs KEEPER_ROLE (driven by the venue calendar).
    function setSessionOpen(bool open) external onlyRole(KEEPER_ROLE) {
        _sessionOpen = open;
        emit SessionOpenSet(open);
    }

    // ---- lifecycle ----

    /// @notice Locks `quantity` of the caller's `token` and creates a redeem paying at least
    ///         `minNotional` of `payoutToken` to `destination`, at the minimum platform fee, no
    ///         developer fee and no gas charged. Needs a prior approve (or permit).
    /// @return orderId the new order's id.
    function createRedeem(
        address token,
        uint256 quantity,
        address payoutToken,
        uint256 minNotional,
        address destination
    ) external nonReentrant returns (uint256 orderId) {
        Terms memory terms = Terms(_minPlatformFeeBps, 0, address(0), GasSponsor.USER_NOTIONAL, 0);
        return _createRedeem(msg.sender, token, quantity, payoutToken, minNotional, destination, terms);
    }

    /// @notice {createRedeem} with fees and gas of the caller's choosing. With the DEVELOPER gas sponsor
    ///         it also locks `terms.maxGas` of `payoutToken` from the caller as the gas deposit.
    /// @return orderId the new order's id.
    function createRedeemWithTerms(
        address token,
        uint256 quantity,
        address payoutToken,
        uint256 minNotional,
        address destination,
        Terms calldata terms
    ) external nonReentrant returns (uint256 orderId) {
        return _createRedeem(msg.sender, token, quantity, payoutToken, minNotional, destination, terms);
    }

    /// @notice Creates a mint of `quantity` of asset `symbol` for `destination`, paying at most
    ///         `maxNotional` (gross + broker costs) plus fees and gas in `currency`: locks
    ///         {mintLockOf} (and, with the DEVELOPER gas sponsor, `terms.maxGas` as the gas deposit)
    ///         from the caller. The asset's token need not exist yet: the settle deploys it.
    /// @return orderId the new order's id.
    function createMint(
        string calldata symbol,
        uint256 quantity,
        address currency,
        uint256 maxNotional,
        address destination,
        Terms calldata terms
    ) external nonReentrant returns (uint256 orderId) {
        return _createMint(msg.sender, symbol, quantity, currency, maxNotional, destination, terms);
    }

    /// @notice {createRedeemWithTerms} as a limit sell: it settles only at an attested gross notional of
    ///         at least `limit.price` x quantity, and not after `limit.goodTill`.
    /// @return orderId the new order's id.
    function createRedeemLimit(
        address token,
        uint256 quantity,
        address payoutToken,
        uint256 minNotional,
        address destination,
        Terms calldata terms,
        Limit calldata limit
    ) external nonReentrant returns (uint256 orderId) {
        orderId = _createRedeem(msg.sender, token, quantity, payoutToken, minNotional, destination, terms);
        _setLimit(orderId, limit);
    }

    /// @notice {createMint} as a limit buy: it settles only at an attested gross notional of at most
    ///         `limit.price` x quantity, and not after `limit.goodTill`.
    /// @return orderId the new order's id.
    function createMintLimit(
        string calldata symbol,
        uint256 quantity,
        address currency,
        uint256 maxNotional,
        address destination,
        Terms calldata terms,
        Limit calldata limit
    ) external nonReentrant returns (uint256 orderId) {
        orderId = _createMint(msg.sender, symbol, quantity, currency, maxNotional, destination, terms);
        _setLimit(orderId, limit);
    }

    /// @notice {createRedeemWithTerms} as a trigger sell (stop-loss or take-profit), created ARMED: the
    ///         keeper {trigger}s it when the asset's 30 s TWAP crosses `trig.price`. Until then the owner
    ///         may {userCancel} it at any time (no broker leg can be under way).
    /// @return orderId the new order's id.
    function createRedeemTrigger(
        address token,
        uint256 quantity,
        address payoutToken,
        uint256 minNotional,
        address destination,
        Terms calldata terms,
        Trigger calldata trig
    ) external nonReentrant returns (uint256 orderId) {
        _arming = true;
        orderId = _createRedeem(msg.sender, token, quantity, payoutToken, minNotional, destination, terms);
        _arm(orderId, trig.kind, trig.price, trig.goodTill, 0);
    }

    /// @notice Creates an OCO pair of trigger sells over one lock of `quantity` tokens: a STOP_LOSS at
    ///         `oco.stopPrice` and a TAKE_PROFIT at `oco.takeProfitPrice` (above it), both ARMED with the
    ///         same terms and minimum payout. Whichever triggers first cancels the other; cancelling
    ///         either cancels both. With the DEVELOPER gas sponsor one gas deposit covers the pair.
    /// @return stopId the stop-loss leg. @return takeProfitId the take-profit leg (`stopId` + 1).
    function createRedeemOco(
        address token,
        uint256 quantity,
        address payoutToken,
        uint256 minNotional,
        address destination,
        Terms calldata terms,
        Oco calldata oco
    ) external nonReentrant returns (uint256 stopId, uint256 takeProfitId) {
        if (oco.stopPrice >= oco.takeProfitPrice) {
            revert OrderBookInvalidTrigger(TriggerKind.TAKE_PROFIT, oco.takeProfitPrice, oco.goodTill);
        }
        _arming = true;
        stopId = _createRedeem(msg.sender, token, quantity, payoutToken, minNotional, destination, terms);
        // The second leg shares the first one's lock and gas deposit: nothing more is taken.
        takeProfitId = _store(msg.sender, Side.REDEEM, token, quantity, payoutToken, minNotional, destination, terms, 0);
        Order storage tp = _orders[takeProfitId];
        _reserved[payoutToken] -= tp.gasDeposit;
        tp.gasDeposit = 0;
        _arm(stopId, TriggerKind.STOP_LOSS, oco.stopPrice, oco.goodTill, takeProfitId);
        _arm(takeProfitId, TriggerKind.TAKE_PROFIT, oco.takeProfitPrice, oco.goodTill, stopId);
    }

    /// @notice The EIP-712 digest a holder signs for `intent`.
    function intentDigest(OrderIntent calldata intent) public view returns (bytes32) {
        Terms calldata t = intent.terms;
        bytes32 termsHash = keccak256(
            abi.encode(
                TERMS_TYPEHASH, t.platformFeeBps, t.developerFeeBps, t.developerFeeRecipient, t.gasSponsor, t.maxGas
            )
        );
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    INTENT_TYPEHASH,
                    intent.owner,
                    intent.side,
                    keccak256(bytes(intent.symbol)),
                    intent.token,
                    intent.quantity,
                    intent.currency,
                    intent.notionalBound,
                    intent.destination,
                    termsHash,
                    intent.nonce,
                    intent.deadline
                )
            )
        );
    }

    /// @notice Creates the order `intent` describes for its owner, who signed it (EOA or ERC-1271
    ///         wallet; OpenZeppelin SignatureChecker): anyone may submit it and pays the gas of this
    ///         transaction, so the holder needs no ETH. The intent is refused once its deadline has
    ///         passed ({OrderBookIntentExpired}), when its nonce is not the owner's next
    ///         ({Nonces.InvalidAccountNonce}: each intent is used once) or when the signature is not the
    ///         owner's over exactly these values ({OrderBookIntentNotSigned}). `permit`, when given, is
    ///         the owner's EIP-2612 permit for the token the order locks (the asset for a redeem, the
    ///         stablecoin for a mint); a permit that fails (already used by someone who front-ran it)
    ///         is ignored, and the order goes through if the allowance is there. With the DEVELOPER gas
    ///         sponsor the gas deposit is taken from the submitter, and refunded to it.
    /// @return orderId the new order's id.
    function createWithIntent(OrderIntent calldata intent, bytes calldata signature, Permit calldata permit)
        external
        nonReentrant
        returns (uint256 orderId)
    {
        if (block.timestamp > intent.deadline) revert OrderBookIntentExpired(intent.deadline);
        bool redeem = intent.side == Side.REDEEM;
        if (redeem ? bytes(intent.symbol).length != 0 : intent.token != address(0)) {
            revert OrderBookIntentMalformed();
        }
        if (!SignatureChecker.isValidSignatureNow(intent.owner, intentDigest(intent), signature)) {
            revert OrderBookIntentNotSigned(intent.owner);
        }
        _useCheckedNonce(intent.owner, intent.nonce);
        if (permit.deadline != 0) {
            address locked = redeem ? intent.token : intent.currency;
            try IERC20Permit(locked)
                .permit(intent.owner, address(this), permit.value, permit.deadline, permit.v, permit.r, permit.s) {}
                catch {}
        }
        orderId = redeem
            ? _createRedeem(
                intent.owner,
                intent.token,
                intent.quantity,
                intent.currency,
                intent.notionalBound,
                intent.destination,
                intent.terms
            )
            : _createMint(
                intent.owner,
                intent.symbol,
                intent.quantity,
                intent.currency,
                intent.notionalBound,
                intent.destination,
                intent.terms
            );
        emit OrderIntentUsed(orderId, intent.owner, intent.nonce, msg.sender);
    }

    /// @notice Deploys the token for `symbol` if it is missing, ahead of its first mint (platform-docs
    ///         "Auto-deploy on first mint": pre-warm with ensure_deployed); idempotent, and only a
    ///         deployment: nothing is minted. Caller needs KEEPER_ROLE (this book holds the factory's
    ///         MINTER_ROLE, the keeper none).
    /// @return token the token's address (the factory's predictAddress).
    function ensureDeployed(string calldata symbol) external onlyRole(KEEPER_ROLE) returns (address token) {
        if (!_factory.isValidSymbol(symbol)) revert OrderBookInvalidSymbol(symbol);
        return _factory.ensureDeployed(symbol);
    }

    /// @notice Makes a QUEUED order ACTIVE. Caller needs KEEPER_ROLE.
    function promote(uint256 orderId) external onlyRole(KEEPER_ROLE) {
        Order storage o = _orders[orderId];
        if (o.status != Status.QUEUED) revert OrderBookOrderNotQueued(orderId, o.status);
        o.status = Status.ACTIVE;
        emit OrderPromoted(orderId);
    }

    /// @notice Triggers an ARMED order whose condition the asset's mark (`mark`, stablecoin base units per
    ///         whole share: the keeper's 30 s TWAP, recorded in {OrderTriggered}) meets: it becomes
    ///         ACTIVE (QUEUED out of session) and, for an OCO leg, the other leg is cancelled in the same
    ///         transaction. Caller needs KEEPER_ROLE. Moves no money: what is paid still needs the
    ///         broker's attested fill, within the order's minimum payout (and a take-profit's price).
    function trigger(uint256 orderId, uint256 mark) external onlyRole(KEEPER_ROLE) {
        Order storage o = _orders[orderId];
        if (o.status != Status.ARMED) revert OrderBookOrderNotArmed(orderId, o.status);
        Trigger memory t = _triggers[orderId];
        if (t.kind == TriggerKind.STOP_LOSS ? mark > t.price : mark < t.price) {
            revert OrderBookTriggerNotReached(orderId, mark, t.price);
        }
        if (block.timestamp > t.goodTill) revert OrderBookOrderExpired(orderId, t.goodTill);
        _closePeer(orderId, o);
        Status status = _sessionOpen ? Status.ACTIVE : Status.QUEUED;
        o.status = status;
        emit OrderTriggered(orderId, mark, status);
    }

    /// @notice The EIP-712 digest an attester signs for `fill`.
    function fillDigest(Fill calldata fill) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(FILL_TYPEHASH, fill.orderId, fill.quantity, fill.grossNotional, fill.costs, fill.expiry)
            )
        );
    }

    /// @notice Settles an ACTIVE order at the broker's attested fill. Caller needs KEEPER_ROLE; the fill
    ///         must be signed by `attester` (an EOA, or an ERC-1271 contract) holding ATTESTER_ROLE,
    ///         unexpired, for the order's quantity, and unused. `gasCharge` is the settle's gas in the
    ///         order's stablecoin; at most the order's `maxGas` is charged.
    ///         Redeem: burns the locked tokens and pays the net proceeds; below the minimum it reverts
    ///         with {OrderBookPayoutBelowMinimum}, and with {OrderBookInsufficientLiquidity} when the
    ///         payout pool is short. Mint: reverts with {OrderBookNotionalAboveMaximum} when gross +
    ///         costs exceed the maximum; mints through the factory and refunds the rest of the lock.
    function settle(Fill calldata fill, address attester, bytes calldata signature, uint256 gasCharge)
        external
        onlyRole(KEEPER_ROLE)
        nonReentrant
    {
        uint256 orderId = fill.orderId;
        Order storage o = _orders[orderId];
        if (o.status != Status.ACTIVE) revert OrderBookOrderNotActive(orderId, o.status);
        if (block.timestamp > fill.expiry) revert OrderBookFillExpired(orderId, fill.expiry);
        if (fill.quantity != o.quantity) revert OrderBookFillQuantityMismatch(orderId, fill.quantity, o.quantity);
        _checkLimit(orderId, o, fill.grossNotional);
        bytes32 digest = fillDigest(fill);
        if (_usedFills[digest]) revert OrderBookFillAlreadyUsed(digest);
        if (!hasRole(ATTESTER_ROLE, attester) || !SignatureChecker.isValidSignatureNow(attester, digest, signature)) {
            revert OrderBookFillNotAttested(orderId, attester);
        }
        _usedFills[digest] = true;
        o.status = Status.SETTLED;
        uint256 gas = gasCharge < o.terms.maxGas ? gasCharge : o.terms.maxGas;
        if (o.side == Side.REDEEM) {
            _settleRedeem(o, orderId, fill, gas);
        } else {
            _settleMint(o, orderId, fill, gas);
        }
    }

    /// @notice Pays `recipient` its accrued developer fees in `currency` (the amount the escrow holds for
    ///         it, to the recipient the orders named). Caller needs KEEPER_ROLE. Returns the amount (0: nothing).
    function sweepDeveloperFees(address recipient, address currency)
        external
        onlyRole(KEEPER_ROLE)
        nonReentrant
        returns (uint256 amount)
    {
        amount = _developerFees[recipient][currency];
        if (amount == 0) return 0;
        _developerFees[recipient][currency] = 0;
        _reserved[currency] -= amount;
        emit DeveloperFeesSwept(recipient, currency, amount);
        IERC20(currency).safeTransfer(recipient, amount);
    }

    /// @notice Cancels an open (QUEUED or ACTIVE) order and returns what it locked (tokens, stablecoin,
    ///         gas deposit) to the owner. Caller needs KEEPER_ROLE.
    function cancel(uint256 orderId) external onlyRole(KEEPER_ROLE) nonReentrant {
        _cancel(orderId);
    }

    /// @notice Lets the owner cancel an open order once the recovery window has elapsed since creation,
    ///         at once after a limit or trigger order's `goodTill`, and at any time while a trigger order is
    ///         ARMED (no broker leg can be under way), so holders can always exit even if the keeper is
    ///         gone.
    function userCancel(uint256 orderId) external nonReentrant {
        Order storage o = _orders[orderId];
        if (o.owner != msg.sender) revert OrderBookNotOrderOwner(orderId, msg.sender);
        uint256 availableAt = uint256(o.createdAt) + _recoveryWindow;
        uint64 goodTill = _limits[orderId].goodTill;
        bool expired = goodTill != 0 && block.timestamp > goodTill;
        if (block.timestamp < availableAt && !expired && o.status != Status.ARMED) {
            revert OrderBookRecoveryWindowNotElapsed(
                orderId, goodTill != 0 && goodTill < availableAt ? goodTill + 1 : availableAt
            );
        }
        _cancel(orderId);
    }

    // ---- internals ----

    /// @dev Counts a mint bounded by `maxNotional` against the mint breakers, reverting on a breach.
    function _guardMint(address owner, bytes32 symbol, uint256 maxNotional) private {
        Guardrails storage g = _guardrails;
        if (g.mintMinPerTx != 0 && maxNotional < g.mintMinPerTx) {
            revert OrderBookGuardrail(Guardrail.MINT_MIN_PER_TX, g.mintMinPerTx, maxNotional);
        }
        _count(
            _mintsByOwner[owner],
            g.mintMaxPerAddressPerBlock,
            maxNotional,
            Guardrail.MINT_MAX_NOTIONAL_PER_ADDRESS_PER_BLOCK
        );
        _count(_mintsTotal, g.mintMaxTotalPerBlock, maxNotional, Guardrail.MINT_MAX_TOTAL_PER_BLOCK);
        uint256 cap = g.mintDailyPerAsset;
        if (cap != 0) {
            DayTally storage d = _mintsByAsset[symbol];
            uint256 used = _rollingDay(d) + maxNotional;
            if (used > cap) revert OrderBookGuardrail(Guardrail.MINT_DAILY_NOTIONAL_PER_ASSET, cap, used);
            uint64 today = uint64(block.timestamp / 1 days);
            if (d.day != today) {
                d.previous = d.day + 1 == today ? d.current : 0;
                d.current = 0;
                d.day = today;
            }
            d.current = SafeCast.toUint96(d.current + maxNotional);
        }
    }

    /// @dev Counts a redeem bounded by `minNotional` against the redeem breaker.
    function _guardRedeem(uint256 minNotional) private {
        _count(_redeemsTotal, _guardrails.redeemMaxPerBlock, minNotional, Guardrail.REDEEM_MAX_PER_BLOCK);
    }

    /// @dev Adds `amount` to a per-block tally capped at `cap` (0: off), reverting with `limit` past it.
    function _count(BlockTally storage t, uint256 cap, uint256 amount, Guardrail limit) private {
        if (cap == 0) return;
        uint256 used = _inBlock(t) + amount;
        if (used > cap) revert OrderBookGuardrail(limit, cap, used);
        t.blockNumber = uint64(block.number);
        t.amount = SafeCast.toUint192(used);
    }

    function _inBlock(BlockTally storage t) private view returns (uint256) {
        return t.blockNumber == block.number ? t.amount : 0;
    }

    /// @dev The rolling day: today's mints plus the previous day's in proportion to what is left of its
    ///      24 hours (a sliding window over two UTC-day buckets), rounded up.
    function _rollingDay(DayTally storage d) private view returns (uint256) {
        uint256 today = block.timestamp / 1 days;
        uint256 previous;
        uint256 current;
        if (d.day == today) {
            previous = d.previous;
            current = d.current;
        } else if (d.day + 1 == today) {
            previous = d.current;
        }
        uint256 left = 1 days - (block.timestamp % 1 days);
        return current + Math.mulDiv(previous, left, 1 days, Math.Rounding.Ceil);
    }

    /// @dev Records order `orderId`'s trigger (created ARMED) and OCO peer. A TAKE_PROFIT also binds the
    ///      settle as a limit sell at its price; both kinds stop settling after `goodTill`.
    function _arm(uint256 orderId, TriggerKind kind, uint256 price, uint64 goodTill, uint256 peer) private {
        if (kind == TriggerKind.NONE || price == 0 || goodTill <= block.timestamp) {
            revert OrderBookInvalidTrigger(kind, price, goodTill);
        }
        _arming = false;
        _triggers[orderId] = Trigger(kind, price, goodTill);
        _limits[orderId] = Limit(kind == TriggerKind.TAKE_PROFIT ? price : 0, goodTill);
        if (peer != 0) _ocoPeers[orderId] = peer;
        emit OrderTriggerSet(orderId, kind, price, goodTill, peer);
    }

    /// @dev Cancels the ARMED other leg of `o`'s OCO pair (without refund: the lock is `o`'s) and moves
    ///      the pair's gas deposit to `o`, which from now on holds the pair's lock alone.
    function _closePeer(uint256 orderId, Order storage o) private {
        uint256 peer = _ocoPeers[orderId];
        if (peer == 0) return;
        Order storage p = _orders[peer];
        if (p.status != Status.ARMED) return;
        p.status = Status.CANCELLED;
        o.gasDeposit += p.gasDeposit;
        p.gasDeposit = 0;
        emit OrderCancelled(peer, msg.sender);
    }

    function _setLimit(uint256 orderId, Limit calldata limit) private {
        if (limit.price == 0 || limit.goodTill <= block.timestamp) {
            revert OrderBookInvalidLimit(limit.price, limit.goodTill);
        }
        _limits[orderId] = limit;
        emit OrderLimitSet(orderId, limit.price, limit.goodTill);
    }

    /// @dev Refuses a settle of a limit order past its `goodTill` or at a gross notional worse than its
    ///      limit: a redeem needs at least `price` x quantity (rounded up), a mint at most (rounded down).
    function _checkLimit(uint256 orderId, Order storage o, uint256 grossNotional) private view {
        Limit memory lim = _limits[orderId];
        if (lim.goodTill == 0) return;
        if (block.timestamp > lim.goodTill) revert OrderBookOrderExpired(orderId, lim.goodTill);
        bool redeem = o.side == Side.REDEEM;
        uint256 bound = Math.mulDiv(lim.price, o.quantity, 1e6, redeem ? Math.Rounding.Ceil : Math.Rounding.Floor);
        if (redeem ? grossNotional < bound : grossNotional > bound) {
            revert OrderBookLimitNotMet(orderId, grossNotional, bound);
        }
    }

    /// @dev Who pays (and is refunded) an order's gas deposit: the submitter of a relayed intent, or the owner.
    function _depositor(uint256 orderId, Order storage o) private view returns (address) {
        address sponsor = _sponsors[orderId];
        return sponsor == address(0) ? o.owner : sponsor;
    }

    function _createMint(
        address owner,
        string calldata symbol,
        uint256 quantity,
        address currency,
        uint256 maxNotional,
        address destination,
        Terms calldata terms
    ) private returns (uint256 orderId) {
        if (!_factory.isValidSymbol(symbol)) revert OrderBookInvalidSymbol(symbol);
        _checkOrder(currency, quantity, maxNotional, destination, terms);
        uint256 lock = mintLockOf(maxNotional, terms);
        address token = _factory.predictAddress(symbol);
        _guardMint(owner, bytes32(bytes(symbol)), maxNotional);
        orderId = _store(owner, Side.MINT, token, quantity, currency, maxNotional, destination, terms, lock);
        _orders[orderId].symbol = bytes32(bytes(symbol));
        emit MintAsset(orderId, symbol);
        IERC20(currency).safeTransferFrom(owner, address(this), lock);
        _takeDeposit(orderId, owner, currency);
    }

    /// @dev Takes the order's gas deposit from the caller; when the caller is not the owner (a relayer
    ///      submitting an intent), records it as the deposit's sponsor.
    function _takeDeposit(uint256 orderId, address owner, address currency) private {
        uint256 deposit = _orders[orderId].gasDeposit;
        if (deposit == 0) return;
        if (msg.sender != owner) _sponsors[orderId] = msg.sender;
        IERC20(currency).safeTransferFrom(msg.sender, address(this), deposit);
    }

    function _createRedeem(
        address owner,
        address token,
        uint256 quantity,
        address payoutToken,
        uint256 minNotional,
        address destination,
        Terms memory terms
    ) private returns (uint256 orderId) {
        if (!_factory.isToken(token)) revert OrderBookUnknownToken(token);
        _checkOrder(payoutToken, quantity, minNotional, destination, terms);
        _guardRedeem(minNotional);
        orderId = _store(owner, Side.REDEEM, token, quantity, payoutToken, minNotional, destination, terms, 0);
        _locked[token] += quantity;
        IERC20(token).safeTransferFrom(owner, address(this), quantity);
        _takeDeposit(orderId, owner, payoutToken);
    }

    function _checkOrder(
        address currency,
        uint256 quantity,
        uint256 notionalBound,
        address destination,
        Terms memory terms
    ) private view {
        if (!_payoutCurrencies[currency]) revert OrderBookPayoutCurrencyNotAccepted(currency);
        if (quantity == 0) revert OrderBookZeroQuantity();
        if (notionalBound == 0) revert OrderBookZeroNotionalBound();
        if (destination == address(0)) revert OrderBookInvalidDestination();
        if (
            terms.platformFeeBps < _minPlatformFeeBps
                || uint256(terms.platformFeeBps) + terms.developerFeeBps > MAX_FEE_BPS
        ) revert OrderBookInvalidFees(terms.platformFeeBps, terms.developerFeeBps);
        if (terms.developerFeeBps > 0 && terms.developerFeeRecipient == address(0)) {
            revert OrderBookInvalidFeeRecipient();
        }
    }

    function _store(
        address owner,
        Side side,
        address token,
        uint256 quantity,
        address currency,
        uint256 notionalBound,
        address destination,
        Terms memory terms,
        uint256 lock
    ) private returns (uint256 orderId) {
        orderId = _nextOrderId++;
        Status status = _arming ? Status.ARMED : _sessionOpen ? Status.ACTIVE : Status.QUEUED;
        uint256 deposit = terms.gasSponsor == GasSponsor.DEVELOPER ? terms.maxGas : 0;
        Order storage o = _orders[orderId];
        o.owner = owner;
        o.createdAt = uint64(block.timestamp);
        o.status = status;
        o.side = side;
        o.token = token;
        o.currency = currency;
        o.destination = destination;
        o.quantity = quantity;
        o.notionalBound = notionalBound;
        o.locked = lock;
        o.gasDeposit = deposit;
        o.terms = terms;
        _reserved[currency] += lock + deposit;
        emit OrderCreated(orderId, owner, token, side, status, quantity, currency, notionalBound, destination);
        emit OrderTermsSet(
            orderId,
            terms.platformFeeBps,
            terms.developerFeeBps,
            terms.developerFeeRecipient,
            terms.gasSponsor,
            terms.maxGas,
            lock
        );
    }

    function _settleRedeem(Order storage o, uint256 orderId, Fill calldata fill, uint256 gas) private {
        uint256 gross = fill.grossNotional;
        uint256 platformFee = feeOf(gross, o.terms.platformFeeBps);
        uint256 developerFee = feeOf(gross, o.terms.developerFeeBps);
        bool userGas = o.terms.gasSponsor == GasSponsor.USER_NOTIONAL;
        uint256 deductions = fill.costs + platformFee + developerFee + (userGas ? gas : 0);
        uint256 payout = gross > deductions ? gross - deductions : 0;
        if (payout < o.notionalBound) revert OrderBookPayoutBelowMinimum(orderId, payout, o.notionalBound);
        // Out of the pool: the payout, both fees and the user's gas (gross minus the broker's costs).
        {
            uint256 fromPool = deductions - fill.costs + payout;
            uint256 available = payoutPoolOf(o.currency);
            if (available < fromPool) revert OrderBookInsufficientLiquidity(o.currency, available, fromPool);
        }

        _locked[o.token] -= o.quantity;
        _reserved[o.currency] -= o.gasDeposit;
        _accrue(o, orderId, developerFee);
        emit OrderSettled(orderId, gross, payout);
        emit OrderCharged(orderId, fill.costs, platformFee, developerFee, gas);

        AssetToken(o.token).burn(o.quantity);
        IERC20 currency = IERC20(o.currency);
        currency.safeTransfer(o.destination, payout);
        _pay(currency, _treasury, platformFee + gas);
        if (!userGas) _pay(currency, _depositor(orderId, o), o.gasDeposit - gas);
    }

    function _settleMint(Order storage o, uint256 orderId, Fill calldata fill, uint256 gas) private {
        uint256 notional = fill.grossNotional + fill.costs;
        if (notional > o.notionalBound) revert OrderBookNotionalAboveMaximum(orderId, notional, o.notionalBound);
        uint256 platformFee = feeOf(notional, o.terms.platformFeeBps);
        uint256 developerFee = feeOf(notional, o.terms.developerFeeBps);
        bool userGas = o.terms.gasSponsor == GasSponsor.USER_NOTIONAL;
        // Never negative: each term is at most its bound in mintLockOf (fees round up monotonically).
        uint256 refund = o.locked - notional - platformFee - developerFee - (userGas ? gas : 0);
        uint256 deposit = o.gasDeposit;
        _reserved[o.currency] -= o.locked + deposit;
        _accrue(o, orderId, developerFee);
        emit OrderSettled(orderId, fill.grossNotional, refund);
        emit OrderCharged(orderId, fill.costs, platformFee, developerFee, gas);

        _factory.mint(_symbolOf(o.symbol), o.destination, o.quantity);
        IERC20 currency = IERC20(o.currency);
        _pay(currency, _treasury, notional + platformFee + gas);
        _refund(currency, orderId, o, refund, userGas ? 0 : deposit - gas);
    }

    function _accrue(Order storage o, uint256 orderId, uint256 developerFee) private {
        if (developerFee == 0) return;
        address recipient = o.terms.developerFeeRecipient;
        _developerFees[recipient][o.currency] += developerFee;
        _reserved[o.currency] += developerFee;
        emit DeveloperFeeAccrued(recipient, o.currency, orderId, developerFee);
    }

    /// @dev Pays `toOwner` to the order's owner and `toDepositor` to whoever paid its gas deposit (one
    ///      transfer when that is the owner).
    function _refund(IERC20 currency, uint256 orderId, Order storage o, uint256 toOwner, uint256 toDepositor) private {
        address depositor = _depositor(orderId, o);
        if (depositor == o.owner) {
            _pay(currency, o.owner, toOwner + toDepositor);
        } else {
            _pay(currency, o.owner, toOwner);
            _pay(currency, depositor, toDepositor);
        }
    }

    function _pay(IERC20 currency, address to, uint256 amount) private {
        if (amount > 0) currency.safeTransfer(to, amount);
    }

    function _symbolOf(bytes32 packed) private pure returns (string memory symbol) {
        uint256 n = 0;
        while (n < 32 && packed[n] != 0) ++n;
        bytes memory b = new bytes(n);
        for (uint256 i = 0; i < n; ++i) {
            b[i] = packed[i];
        }
        return string(b);
    }

    function _cancel(uint256 orderId) private {
        Order storage o = _orders[orderId];
        Status s = o.status;
        if (s != Status.QUEUED && s != Status.ACTIVE && s != Status.ARMED) revert OrderBookOrderNotOpen(orderId, s);
        _closePeer(orderId, o);
        o.status = Status.CANCELLED;
        uint256 back = o.locked + o.gasDeposit;
        _reserved[o.currency] -= back;
        if (o.side == Side.REDEEM) _locked[o.token] -= o.quantity;
        emit OrderCancelled(orderId, msg.sender);

        if (o.side == Side.REDEEM) IERC20(o.token).safeTransfer(o.owner, o.quantity);
        _refund(IERC20(o.currency), orderId, o, o.locked, o.gasDeposit);
    }
}
