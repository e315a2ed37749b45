// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Deployment} from "./support/Deployment.sol";
import {AssetToken} from "../src/AssetToken.sol";
import {AssetTokenFactory} from "../src/AssetTokenFactory.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

contract AssetTokenFactoryTest is Deployment {
    function setUp() public {
        _deploy();
    }

    function test_mint_deploysAtPredictedAddressOnFirstUse() public {
        address predicted = factory.predictAddress("NVDA");
        assertEq(factory.tokenOf("NVDA"), address(0), "not deployed yet");
        vm.prank(MINTER);
        address token = factory.mint("NVDA", HOLDER, 5e6);
        assertEq(token, predicted, "deployed address");
        assertEq(AssetToken(token).balanceOf(HOLDER), 5e6, "minted");
        assertTrue(factory.isToken(token), "registered");
        assertEq(factory.tokenCount(), 2, "count");
    }

    function test_mint_reusesTheDeployedToken() public {
        vm.prank(MINTER);
        address again = factory.mint("AAPL", HOLDER, 1e6);
        assertEq(again, address(aapl), "same token");
        assertEq(aapl.balanceOf(HOLDER), 11e6, "balance");
        assertEq(factory.tokenCount(), 1, "count");
    }

    function test_ensureDeployed_isIdempotent() public {
        vm.startPrank(MINTER);
        address a = factory.ensureDeployed("TSLA");
        address b = factory.ensureDeployed("TSLA");
        vm.stopPrank();
        assertEq(a, b, "same address");
        assertEq(a, factory.predictAddress("TSLA"), "predicted");
        assertEq(AssetToken(a).totalSupply(), 0, "no supply");
    }

    function test_predictAddress_differsPerSymbolAndIsIndependentOfCaller() public {
        assertTrue(factory.predictAddress("SPY") != factory.predictAddress("QQQ"), "distinct");
        bytes32 minter = factory.MINTER_ROLE();
        vm.prank(ADMIN);
        factory.grantRole(minter, HOLDER);
        address predicted = factory.predictAddress("SPY");
        vm.prank(HOLDER);
        assertEq(factory.ensureDeployed("SPY"), predicted, "any minter lands on the same address");
    }

    function test_token_hasSixDecimalsAndNamedSymbol() public view {
        assertEq(aapl.decimals(), 6, "decimals");
        assertTrue(keccak256(bytes(aapl.symbol())) == keccak256("AAPL"), "symbol");
        assertTrue(keccak256(bytes(aapl.name())) == keccak256("Lockstep AAPL"), "name");
    }

    function test_mint_revertsWithoutMinterRole() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, HOLDER, factory.MINTER_ROLE()
            )
        );
        vm.prank(HOLDER);
        factory.mint("AAPL", HOLDER, 1);
    }

    function test_ensureDeployed_revertsOnInvalidSymbol() public {
        vm.startPrank(MINTER);
        vm.expectRevert(abi.encodeWithSelector(AssetTokenFactory.AssetTokenFactoryInvalidSymbol.selector, "aapl"));
        factory.ensureDeployed("aapl");
        vm.expectRevert(abi.encodeWithSelector(AssetTokenFactory.AssetTokenFactoryInvalidSymbol.selector, ""));
        factory.ensureDeployed("");
        vm.stopPrank();
    }

    function test_mint_revertsWhilePausedAndResumesAfter() public {
        vm.prank(PAUSER);
        factory.setMintPaused("AAPL", true);
        assertTrue(aapl.mintPaused(), "paused");
        vm.expectRevert(AssetToken.AssetTokenMintPaused.selector);
        vm.prank(MINTER);
        factory.mint("AAPL", HOLDER, 1);
        vm.prank(PAUSER);
        factory.setMintPaused("AAPL", false);
        vm.prank(MINTER);
        factory.mint("AAPL", HOLDER, 1);
        assertEq(aapl.balanceOf(HOLDER), 10e6 + 1, "minted after resume");
    }

    function test_setMintPaused_revertsForUnknownSymbol() public {
        vm.expectRevert(abi.encodeWithSelector(AssetTokenFactory.AssetTokenFactoryUnknownSymbol.selector, "MSFT"));
        vm.prank(PAUSER);
        factory.setMintPaused("MSFT", true);
    }

    function test_token_mint_revertsUnlessCalledByFactory() public {
        vm.expectRevert(abi.encodeWithSelector(AssetToken.AssetTokenCallerNotFactory.selector, MINTER));
        vm.prank(MINTER);
        aapl.mint(MINTER, 1);
    }

    function test_isValidSymbol_acceptsTheAlphabetOnly() public view {
        assertTrue(factory.isValidSymbol("BRK.B"), "dot");
        assertTrue(factory.isValidSymbol("ABCDEFGHIJKLMNOP"), "16 bytes");
        assertTrue(!factory.isValidSymbol(""), "empty");
        assertTrue(!factory.isValidSymbol("ABCDEFGHIJKLMNOPQ"), "17 bytes");
        assertTrue(!factory.isValidSymbol("aapl"), "lower case");
    }

    function test_mint_revertsWithoutMinterRole_theKeeperIsNoMinter() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, KEEPER, factory.MINTER_ROLE()
            )
        );
        vm.prank(KEEPER);
        factory.mint("AAPL", KEEPER, 1);
    }

    function test_token_burn_revertsWithoutBurnerRole() public {
        vm.expectRevert(abi.encodeWithSelector(AssetToken.AssetTokenCallerNotBurner.selector, HOLDER));
        vm.prank(HOLDER);
        aapl.burn(1);
    }

    function testFuzz_predictAddress_matchesDeployment(uint8 len, uint256 seed) public {
        uint256 n = bound(len, 1, 16);
        bytes memory s = new bytes(n);
        for (uint256 i = 0; i < n; ++i) {
            s[i] = bytes1(uint8(65 + uint256(keccak256(abi.encode(seed, i))) % 26));
        }
        string memory symbol = string(s);
        address predicted = factory.predictAddress(symbol);
        vm.prank(MINTER);
        assertEq(factory.ensureDeployed(symbol), predicted, "predicted == deployed");
    }
}
