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
}
