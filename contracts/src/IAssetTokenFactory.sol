// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title The view of the factory that its tokens and the order book rely on.
interface IAssetTokenFactory {
    /// @notice Whether `account` holds `role` in the factory's role registry (OpenZeppelin AccessControl).
    function hasRole(bytes32 role, address account) external view returns (bool);

    /// @notice Whether `token` was deployed by this factory.
    function isToken(address token) external view returns (bool);

    /// @notice Role allowed to burn its own balance of any factory token (the order book).
    function BURNER_ROLE() external view returns (bytes32);

    /// @notice The address the token for `symbol` has, or will have once deployed (CREATE2).
    function predictAddress(string calldata symbol) external view returns (address);

    /// @notice Whether `symbol` is a valid asset symbol: 1 to 16 bytes of A-Z, 0-9, '.', '-'.
    function isValidSymbol(string calldata symbol) external pure returns (bool);

    /// @notice Deploys the token for `symbol` if it is missing; idempotent. Needs MINTER_ROLE.
    function ensureDeployed(string calldata symbol) external returns (address token);

    /// @notice Mints `quantity` of `symbol` to `to`, deploying its token first if needed. Needs MINTER_ROLE.
    function mint(string calldata symbol, address to, uint256 quantity) external returns (address token);
}
