// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Deployment} from "./support/Deployment.sol";
import {ReserveFeed} from "../src/ReserveFeed.sol";
import {AssetTokenFactory} from "../src/AssetTokenFactory.sol";
import {AssetToken} from "../src/AssetToken.sol";

/// @notice Proof of reserve: the broker's attested reserve per token, in AggregatorV3Interface shape,
///         caps minting (Secure Mint) and stops it when stale.
contract ReserveFeedTest is Deployment {
    uint256 internal constant RESERVE_PK = 0x5E5E;
    address internal reserveAttester;
    ReserveFeed internal feed;

    function setUp() public {
        _deploy(); // mints 10 AAPL to HOLDER (no reserve reported yet: no cap)
        reserveAttester = vm.addr(RESERVE_PK);
        feed = ReserveFeed(factory.reserveFeedOf("AAPL"));
        bytes32 role = feed.RESERVE_ATTESTER_ROLE();
        vm.prank(ADMIN);
        factory.grantRole(role, reserveAttester);
        vm.warp(1_800_000_000);
    }

    function _signed(uint256 pk, uint256 shares, uint64 asOf, uint80 round) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, feed.reserveDigest(shares, asOf, round));
        return abi.encodePacked(r, s, v);
    }

    function _report(uint256 shares) internal {
        uint64 asOf = uint64(block.timestamp);
        (uint80 latest,,,,) = feed.latestRoundData();
        feed.report(shares, asOf, reserveAttester, _signed(RESERVE_PK, shares, asOf, latest + 1));
    }

    function test_theFeedIsDeployedWithItsTokenAndHasTheAggregatorShape() public {
        assertTrue(address(feed).code.length > 0, "deployed with the token");
        assertEq(feed.token(), address(aapl), "its token");
        assertEq(feed.decimals(), 6, "decimals");
        assertEq(feed.version(), 1, "version");
        (uint80 round, int256 answer,, uint256 updatedAt,) = feed.latestRoundData();
        assertEq(round, 0, "no round before a report");
        assertEq(uint256(answer), 0, "no answer");
        assertEq(updatedAt, 0, "never updated");
        _report(25e6);
        (round, answer,, updatedAt,) = feed.latestRoundData();
        assertEq(round, 1, "first round");
        assertEq(uint256(answer), 25e6, "the attested shares");
        assertEq(updatedAt, block.timestamp, "updated now");
    }

    function test_onlyTheReserveAttestersSignatureCounts_andReportsMoveForward() public {
        uint64 asOf = uint64(block.timestamp);
        bytes memory forged = _signed(OTHER_PK, 1e12, asOf, 1);
        vm.expectRevert(abi.encodeWithSelector(ReserveFeed.ReserveFeedNotAttested.selector, vm.addr(OTHER_PK)));
        feed.report(1e12, asOf, vm.addr(OTHER_PK), forged);
        // The attester's signature over other shares does not carry a different answer.
        bytes memory sig = _signed(RESERVE_PK, 20e6, asOf, 1);
        vm.expectRevert(abi.encodeWithSelector(ReserveFeed.ReserveFeedNotAttested.selector, reserveAttester));
        feed.report(1e12, asOf, reserveAttester, sig);
        feed.report(20e6, asOf, reserveAttester, sig);
        // (signatures computed first: expectRevert applies to the next external call)
        bytes memory again = _signed(RESERVE_PK, 20e6, asOf, 2);
        uint64 future = uint64(block.timestamp + feed.MAX_CLOCK_SKEW() + 1);
        bytes memory ahead = _signed(RESERVE_PK, 20e6, future, 2);
        vm.expectRevert(abi.encodeWithSelector(ReserveFeed.ReserveFeedStaleReport.selector, uint80(2), asOf));
        feed.report(20e6, asOf, reserveAttester, again);
        vm.expectRevert(abi.encodeWithSelector(ReserveFeed.ReserveFeedStaleReport.selector, uint80(2), future));
        feed.report(20e6, future, reserveAttester, ahead);
        // An attester whose clock runs ahead of the block by at most the skew is accepted.
        uint64 skewed = uint64(block.timestamp + feed.MAX_CLOCK_SKEW());
        feed.report(21e6, skewed, reserveAttester, _signed(RESERVE_PK, 21e6, skewed, 2));
        (, int256 answer,, uint256 updatedAt,) = feed.latestRoundData();
        assertEq(uint256(answer), 21e6, "round 2's answer");
        assertEq(updatedAt, skewed, "dated as attested");
    }

    function test_mintsAboveTheReserveAreRefused() public {
        _report(12e6); // 10 minted, 12 custodied
        vm.prank(MINTER);
        factory.mint("AAPL", HOLDER, 2e6);
        assertEq(aapl.totalSupply(), 12e6, "up to the reserve");
        vm.prank(MINTER);
        vm.expectRevert(
            abi.encodeWithSelector(AssetTokenFactory.AssetTokenFactoryReserveExceeded.selector, "AAPL", 12e6 + 1, 12e6)
        );
        factory.mint("AAPL", HOLDER, 1);
    }

    function test_aPausedTokensOwnErrorComesBeforeTheReserves() public {
        _report(10e6); // no headroom
        vm.prank(PAUSER);
        factory.setMintPaused("AAPL", true);
        vm.prank(MINTER);
        vm.expectRevert(AssetToken.AssetTokenMintPaused.selector);
        factory.mint("AAPL", HOLDER, 1e6);
    }

    function test_aStaleReservePausesMinting() public {
        vm.prank(ADMIN);
        factory.setMaxReserveAge(2 days);
        _report(100e6);
        uint256 reportedAt = block.timestamp;
        vm.warp(block.timestamp + 2 days + 1);
        vm.prank(MINTER);
        vm.expectRevert(
            abi.encodeWithSelector(
                AssetTokenFactory.AssetTokenFactoryReserveStale.selector, "AAPL", reportedAt, uint64(2 days)
            )
        );
        factory.mint("AAPL", HOLDER, 1e6);
        _report(100e6); // a fresh report resumes it
        vm.prank(MINTER);
        factory.mint("AAPL", HOLDER, 1e6);
        assertEq(aapl.totalSupply(), 11e6, "minted again");
    }

    function test_theFactoryRelaysReports_andAnOldReportNeverLooksFresh() public {
        vm.prank(ADMIN);
        factory.setMaxReserveAge(1 days);
        uint64 signedAt = uint64(block.timestamp);
        bytes memory sig = _signed(RESERVE_PK, 30e6, signedAt, 1);
        vm.warp(block.timestamp + 1 days + 1); // relayed a day after it was signed
        vm.prank(vm.addr(OTHER_PK));
        assertEq(factory.reportReserve("AAPL", 30e6, signedAt, reserveAttester, sig), 1, "round 1 through the factory");
        (, int256 answer, uint256 startedAt, uint256 updatedAt,) = feed.latestRoundData();
        assertEq(uint256(answer), 30e6, "the attested shares");
        assertEq(updatedAt, signedAt, "dated when attested, not when relayed");
        assertEq(startedAt, signedAt, "started when attested");
        vm.prank(MINTER);
        vm.expectRevert(
            abi.encodeWithSelector(
                AssetTokenFactory.AssetTokenFactoryReserveStale.selector, "AAPL", uint256(signedAt), uint64(1 days)
            )
        );
        factory.mint("AAPL", HOLDER, 1e6);
        bytes memory none = _signed(RESERVE_PK, 30e6, signedAt + 1, 1);
        vm.expectRevert(abi.encodeWithSelector(AssetTokenFactory.AssetTokenFactoryUnknownSymbol.selector, "MSFT"));
        factory.reportReserve("MSFT", 30e6, signedAt + 1, reserveAttester, none);
        vm.expectRevert(abi.encodeWithSelector(ReserveFeed.ReserveFeedNoData.selector, uint80(2)));
        feed.getRoundData(2);
    }

    function testFuzz_theSupplyNeverExceedsTheReserve(uint256 reserve, uint256 quantity) public {
        reserve = bound(reserve, 10e6, 1e15);
        quantity = bound(quantity, 1, 2e15);
        _report(reserve);
        vm.prank(MINTER);
        try factory.mint("AAPL", HOLDER, quantity) {
            assertTrue(aapl.totalSupply() <= reserve, "minted within the reserve");
        } catch {
            assertTrue(10e6 + quantity > reserve, "refused only above the reserve");
        }
    }
}
