// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title BenchToken: a plain 6-decimal ERC-20 for the indexer benchmark (local chains only).
/// @notice The deployer receives the whole supply; `spray` emits many real ERC-20 transfers in one
/// transaction so a benchmark can put a million Transfer logs on a local chain quickly.
contract BenchToken is ERC20 {
    constructor(string memory symbol_, uint256 supply) ERC20(symbol_, symbol_) {
        _mint(msg.sender, supply);
    }

    /// @notice 6, like Lockstep's asset tokens and stablecoins.
    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @notice Transfers `amount` base units from the caller `count` times, cycling over `distinct`
    /// holders derived from `base` (holder i = low 160 bits of keccak256(base + i % distinct)).
    /// @dev Reverts with ERC20InsufficientBalance when the caller runs out.
    function spray(uint256 base, uint256 distinct, uint256 count, uint256 amount) external {
        for (uint256 i = 0; i < count; i++) {
            _transfer(msg.sender, address(uint160(uint256(keccak256(abi.encode(base + (i % distinct)))))), amount);
        }
    }
}
