// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {IAssetTokenFactory} from "./IAssetTokenFactory.sol";

/// @title AssetToken: the ERC-20 of one tokenized asset on one chain.
/// @notice Quantities have 6 decimals: one base unit is 1e-6 of a share (platform-docs "Mint":
///         fractional down to 10^-6 shares). Deployed only by {AssetTokenFactory} with CREATE2, so
///         its address is a function of the asset symbol. Minting goes through the factory (its
///         MINTER_ROLE) and can be paused per token (reconciliation breaks pause minting, never
///         redeeming). Burning is limited to holders of the factory's BURNER_ROLE, who burn their
///         own balance: the order book burns the tokens it holds locked for a settled redeem.
///         Supports EIP-2612 permits so that gasless redeems can lock tokens without an approve tx.
contract AssetToken is ERC20, ERC20Permit {
    /// @notice The factory that deployed this token and holds its role registry.
    IAssetTokenFactory private immutable _factory;
    bool private _mintPaused;

    /// @notice Emitted when minting is paused by the factory (for example on a reconciliation break).
    event MintPaused();
    /// @notice Emitted when minting is resumed by the factory.
    event MintUnpaused();

    /// @notice The caller is not the factory that deployed this token.
    error AssetTokenCallerNotFactory(address caller);
    /// @notice The caller lacks the factory's BURNER_ROLE.
    error AssetTokenCallerNotBurner(address caller);
    /// @notice Minting of this token is paused.
    error AssetTokenMintPaused();

    /// @param name_ ERC-20 name, for example "Lockstep AAPL".
    /// @param symbol_ the asset symbol, for example "AAPL".
    constructor(string memory name_, string memory symbol_) ERC20(name_, symbol_) ERC20Permit(name_) {
        _factory = IAssetTokenFactory(msg.sender);
    }

    /// @notice 6: one base unit is 1e-6 share.
    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @notice The factory that deployed this token.
    function factory() external view returns (address) {
        return address(_factory);
    }

    /// @notice Whether minting is paused.
    function mintPaused() external view returns (bool) {
        return _mintPaused;
    }

    /// @notice Mints `quantity` base units to `to`. Only the factory; reverts while minting is paused.
    function mint(address to, uint256 quantity) external {
        if (msg.sender != address(_factory)) revert AssetTokenCallerNotFactory(msg.sender);
        if (_mintPaused) revert AssetTokenMintPaused();
        _mint(to, quantity);
    }

    /// @notice Burns `quantity` base units of the caller's own balance. Caller needs the factory's BURNER_ROLE.
    function burn(uint256 quantity) external {
        if (!_factory.hasRole(_factory.BURNER_ROLE(), msg.sender)) revert AssetTokenCallerNotBurner(msg.sender);
        _burn(msg.sender, quantity);
    }

    /// @notice Pauses or resumes minting. Only the factory (which checks its PAUSER_ROLE).
    function setMintPaused(bool paused) external {
        if (msg.sender != address(_factory)) revert AssetTokenCallerNotFactory(msg.sender);
        if (_mintPaused == paused) return;
        _mintPaused = paused;
        if (paused) emit MintPaused();
        else emit MintUnpaused();
    }
}
