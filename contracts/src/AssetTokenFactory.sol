// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Create2} from "@openzeppelin/contracts/utils/Create2.sol";
import {AssetToken} from "./AssetToken.sol";
import {ReserveFeed} from "./ReserveFeed.sol";
import {IAssetTokenFactory} from "./IAssetTokenFactory.sol";

/// @title AssetTokenFactory: one {AssetToken} per asset symbol at a CREATE2-deterministic address.
/// @notice The salt is keccak256(symbol) and the init code is AssetToken's creation code with
///         ("Lockstep " + symbol, symbol) as constructor arguments, so {predictAddress} is the same
///         for a symbol no matter who triggers the first deployment (platform-docs "Auto-deploy on
///         first mint"). {mint} deploys the token in the same transaction on first use.
///         The factory is also the role registry of its tokens: MINTER_ROLE may mint,
///         BURNER_ROLE may burn its own token balance (the order book), PAUSER_ROLE pauses minting
///         per token (reconciliation breaks), RESERVE_ATTESTER_ROLE (the broker's) signs reserve reports.
///         Each token is deployed with its {ReserveFeed} (proof of reserve, CREATE2 too): once a
///         reserve is reported, {mint} refuses to take the supply above it, and refuses any mint while
///         the reserve is older than {maxReserveAge} (0: no age limit). Before a token's first report
///         its mints are bounded per order only (the order book mints exactly the quantity the
///         broker's attester signed as filled); the keeper relays a report right after that first mint.
contract AssetTokenFactory is AccessControl, IAssetTokenFactory {
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    bytes32 public constant BURNER_ROLE = keccak256("BURNER_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    /// @notice Longest accepted symbol, in bytes.
    uint256 public constant MAX_SYMBOL_LENGTH = 16;

    mapping(bytes32 symbolHash => address token) private _tokenBySymbol;
    mapping(address token => bool deployed) private _isToken;
    mapping(address token => ReserveFeed feed) private _feeds;
    uint64 private _maxReserveAge;
    address[] private _tokens;

    /// @notice Emitted when the token for `symbol` is deployed at `token` (CREATE2).
    event TokenDeployed(address indexed token, string symbol);

    /// @notice `symbol` is empty, longer than MAX_SYMBOL_LENGTH, or has a byte outside A-Z, 0-9, '.', '-'.
    error AssetTokenFactoryInvalidSymbol(string symbol);
    /// @notice No token has been deployed for `symbol`.
    error AssetTokenFactoryUnknownSymbol(string symbol);
    /// @notice The mint would take `symbol`'s supply to `supplyAfter`, above the latest reserve `reserve`.
    error AssetTokenFactoryReserveExceeded(string symbol, uint256 supplyAfter, uint256 reserve);
    /// @notice `symbol`'s latest reserve, reported at `updatedAt`, is older than `maxAge` seconds.
    error AssetTokenFactoryReserveStale(string symbol, uint256 updatedAt, uint64 maxAge);

    /// @notice The reserve's maximum age became `maxAge` seconds (0: none).
    event MaxReserveAgeSet(uint64 maxAge);

    /// @param admin receives DEFAULT_ADMIN_ROLE and grants the other roles.
    constructor(address admin) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @inheritdoc IAssetTokenFactory
    function predictAddress(string calldata symbol) public view returns (address) {
        return Create2.computeAddress(keccak256(bytes(symbol)), keccak256(_initCode(symbol)));
    }

    /// @notice The deployed token for `symbol`, or the zero address if none is deployed yet.
    function tokenOf(string calldata symbol) external view returns (address) {
        return _tokenBySymbol[keccak256(bytes(symbol))];
    }

    /// @inheritdoc IAssetTokenFactory
    function isToken(address token) external view returns (bool) {
        return _isToken[token];
    }

    /// @notice Number of tokens deployed so far.
    function tokenCount() external view returns (uint256) {
        return _tokens.length;
    }

    /// @notice The `index`-th deployed token, in deployment order.
    function tokenAt(uint256 index) external view returns (address) {
        return _tokens[index];
    }

    /// @notice Deploys the token for `symbol` if it is missing; idempotent. Caller needs MINTER_ROLE.
    /// @return token the token's address (equal to {predictAddress}).
    function ensureDeployed(string calldata symbol) external override onlyRole(MINTER_ROLE) returns (address token) {
        return _ensureDeployed(symbol);
    }

    /// @notice Mints `quantity` base units (1e-6 share) of `symbol` to `to`, deploying the token
    ///         first if needed. Caller needs MINTER_ROLE (the order book, settling a mint order; a
    ///         separate minter key in the sandbox for seeding); reverts while the token's minting is paused.
    function mint(string calldata symbol, address to, uint256 quantity)
        external
        override
        onlyRole(MINTER_ROLE)
        returns (address token)
    {
        token = _ensureDeployed(symbol);
        AssetToken(token).mint(to, quantity);
        _checkReserve(symbol, token);
    }

    /// @notice The proof-of-reserve feed of `symbol`'s token (deployed with it; CREATE2, so known before).
    function reserveFeedOf(string calldata symbol) external view returns (address) {
        address token = predictAddress(symbol);
        return Create2.computeAddress(keccak256(bytes(symbol)), keccak256(_feedInitCode(token, symbol)));
    }

    /// @notice Relays a reserve report for `symbol`'s token to its {ReserveFeed} ({ReserveFeed-report}:
    ///         the broker's reserve attester signed it; anyone may relay it). One fixed target for a
    ///         relayer whose key may only call allow-listed contracts (the keeper). Reverts
    ///         {AssetTokenFactoryUnknownSymbol} before the token (and its feed) is deployed.
    /// @return round the feed's new round
    function reportReserve(
        string calldata symbol,
        uint256 shares,
        uint64 asOf,
        address attester,
        bytes calldata signature
    ) external returns (uint80 round) {
        address token = _tokenBySymbol[keccak256(bytes(symbol))];
        if (token == address(0)) revert AssetTokenFactoryUnknownSymbol(symbol);
        return _feeds[token].report(shares, asOf, attester, signature);
    }

    /// @notice Most seconds a reported reserve stays valid for minting, counted from the report's
    ///         `asOf` (0: no limit).
    function maxReserveAge() external view returns (uint64) {
        return _maxReserveAge;
    }

    /// @notice Sets {maxReserveAge}. Caller needs DEFAULT_ADMIN_ROLE.
    function setMaxReserveAge(uint64 maxAge) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _maxReserveAge = maxAge;
        emit MaxReserveAgeSet(maxAge);
    }

    /// @notice Pauses (or resumes) minting of `symbol`'s token. Caller needs PAUSER_ROLE.
    function setMintPaused(string calldata symbol, bool paused) external onlyRole(PAUSER_ROLE) {
        address token = _tokenBySymbol[keccak256(bytes(symbol))];
        if (token == address(0)) revert AssetTokenFactoryUnknownSymbol(symbol);
        AssetToken(token).setMintPaused(paused);
    }

    /// @inheritdoc IAssetTokenFactory
    function hasRole(bytes32 role, address account)
        public
        view
        override(AccessControl, IAssetTokenFactory)
        returns (bool)
    {
        return super.hasRole(role, account);
    }

    function _ensureDeployed(string calldata symbol) private returns (address token) {
        bytes32 salt = keccak256(bytes(symbol));
        token = _tokenBySymbol[salt];
        if (token != address(0)) return token;
        _checkSymbol(symbol);
        token = Create2.deploy(0, salt, _initCode(symbol));
        _tokenBySymbol[salt] = token;
        _isToken[token] = true;
        _tokens.push(token);
        _feeds[token] = ReserveFeed(Create2.deploy(0, salt, _feedInitCode(token, symbol)));
        emit TokenDeployed(token, symbol);
    }

    /// @dev After a mint (so a paused token's own error comes first), once a reserve is reported: the
    ///      supply must not exceed it, and it must be younger than the maximum age.
    function _checkReserve(string calldata symbol, address token) private view {
        (uint80 round, int256 answer,, uint256 updatedAt,) = _feeds[token].latestRoundData();
        if (round == 0) return;
        uint64 maxAge = _maxReserveAge;
        if (maxAge != 0 && block.timestamp > updatedAt + maxAge) {
            revert AssetTokenFactoryReserveStale(symbol, updatedAt, maxAge);
        }
        uint256 supplyAfter = AssetToken(token).totalSupply();
        if (supplyAfter > uint256(answer)) {
            revert AssetTokenFactoryReserveExceeded(symbol, supplyAfter, uint256(answer));
        }
    }

    function _feedInitCode(address token, string calldata symbol) private pure returns (bytes memory) {
        return abi.encodePacked(type(ReserveFeed).creationCode, abi.encode(token, symbol));
    }

    function _initCode(string calldata symbol) private pure returns (bytes memory) {
        return abi.encodePacked(type(AssetToken).creationCode, abi.encode(string.concat("Lockstep ", symbol), symbol));
    }

    /// @inheritdoc IAssetTokenFactory
    function isValidSymbol(string calldata symbol) public pure returns (bool) {
        bytes calldata b = bytes(symbol);
        if (b.length == 0 || b.length > MAX_SYMBOL_LENGTH) return false;
        for (uint256 i = 0; i < b.length; ++i) {
            bytes1 c = b[i];
            bool ok = (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "." || c == "-";
            if (!ok) return false;
        }
        return true;
    }

    function _checkSymbol(string calldata symbol) private pure {
        if (!isValidSymbol(symbol)) revert AssetTokenFactoryInvalidSymbol(symbol);
    }
}
