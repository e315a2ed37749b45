// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IAssetTokenFactory} from "./IAssetTokenFactory.sol";

/// @title ReserveFeed: proof of reserve of one asset token, in Chainlink's AggregatorV3Interface shape.
/// @notice The answer is the number of shares of the underlying the prime broker custodies for the
///         token on this chain (6 decimals, like the token), as the broker's reserve attester signed it
///         (EIP-712 "Lockstep ReserveFeed", version "1", this chain and this feed). Anyone may relay a
///         signed report ({report}): the keeper does after each daily reconciliation and before a mint
///         that would cross the latest answer; no amount is taken on the relayer's word. The factory
///         refuses a mint that would take the token's supply above the latest answer, and any mint
///         while the answer is older than its maximum age (the Chainlink Secure Mint pattern).
contract ReserveFeed is EIP712 {
    /// @notice Role, in the factory's registry, of the broker's reserve attester.
    bytes32 public constant RESERVE_ATTESTER_ROLE = keccak256("RESERVE_ATTESTER_ROLE");

    /// @notice How far past the block's timestamp a report's `asOf` may be (seconds): the attester's
    ///         clock runs ahead of the latest block by up to a block interval (or, on a chain that
    ///         mines on demand, the time since its last transaction).
    uint64 public constant MAX_CLOCK_SKEW = 300;

    /// @notice EIP-712 type hash of a reserve report.
    bytes32 public constant RESERVE_TYPEHASH =
        keccak256("Reserve(address token,uint256 shares,uint64 asOf,uint80 round)");

    struct Round {
        int256 answer;
        uint64 asOf;
    }

    IAssetTokenFactory public immutable factory;
    /// @notice The asset token whose reserve this is.
    address public immutable token;

    uint80 private _latestRound;
    mapping(uint80 roundId => Round) private _rounds;
    string private _description;

    /// @notice Chainlink's event for a new answer.
    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);

    /// @notice The signer does not hold RESERVE_ATTESTER_ROLE or the signature does not match.
    error ReserveFeedNotAttested(address attester);
    /// @notice The report's `asOf` is not after the latest round's, or more than {MAX_CLOCK_SKEW} ahead.
    error ReserveFeedStaleReport(uint80 round, uint64 asOf);
    /// @notice The answer does not fit the feed's int256 answer.
    error ReserveFeedAnswerTooLarge(uint256 shares);
    /// @notice No such round.
    error ReserveFeedNoData(uint80 roundId);

    /// @param token_ the asset token
    /// @param symbol its symbol, for {description}
    constructor(address token_, string memory symbol) EIP712("Lockstep ReserveFeed", "1") {
        factory = IAssetTokenFactory(msg.sender);
        token = token_;
        _description = string.concat(symbol, " reserve (shares)");
    }

    /// @notice 6, like the token.
    function decimals() external pure returns (uint8) {
        return 6;
    }

    /// @notice "<SYMBOL> reserve (shares)".
    function description() external view returns (string memory) {
        return _description;
    }

    /// @notice 1.
    function version() external pure returns (uint256) {
        return 1;
    }

    /// @notice The round `roundId` (AggregatorV3Interface); reverts {ReserveFeedNoData} if there is none.
    ///         `startedAt` and `updatedAt` are both the report's `asOf`: the time the attester vouched
    ///         for the custody, not when someone relayed it, so relaying an old report never makes the
    ///         reserve look fresh (the relay's block time is in {AnswerUpdated}).
    function getRoundData(uint80 roundId)
        public
        view
        returns (uint80, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        Round memory r = _rounds[roundId];
        if (roundId == 0 || r.asOf == 0) revert ReserveFeedNoData(roundId);
        return (roundId, r.answer, r.asOf, r.asOf, roundId);
    }

    /// @notice The latest round (AggregatorV3Interface): all zeros before the first report.
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        roundId = _latestRound;
        if (roundId == 0) return (0, 0, 0, 0, 0);
        return getRoundData(roundId);
    }

    /// @notice The EIP-712 digest the attester signs for the report of round `round`.
    function reserveDigest(uint256 shares, uint64 asOf, uint80 round) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(RESERVE_TYPEHASH, token, shares, asOf, round)));
    }

    /// @notice Records the next round: `shares` custodied as of `asOf` (unix seconds, after the latest
    ///         round's and at most {MAX_CLOCK_SKEW} past the block's timestamp), signed by `attester` (an EOA or an
    ///         ERC-1271 contract) holding RESERVE_ATTESTER_ROLE in the factory. Anyone may relay it
    ///         (the factory's {AssetTokenFactory-reportReserve} forwards to here).
    /// @return round the new round's id (1, 2, ...)
    function report(uint256 shares, uint64 asOf, address attester, bytes calldata signature)
        external
        returns (uint80 round)
    {
        round = _latestRound + 1;
        if (asOf == 0 || asOf > block.timestamp + MAX_CLOCK_SKEW || asOf <= _rounds[_latestRound].asOf) {
            revert ReserveFeedStaleReport(round, asOf);
        }
        if (shares > uint256(type(int256).max)) revert ReserveFeedAnswerTooLarge(shares);
        if (
            !factory.hasRole(RESERVE_ATTESTER_ROLE, attester)
                || !SignatureChecker.isValidSignatureNow(attester, reserveDigest(shares, asOf, round), signature)
        ) revert ReserveFeedNotAttested(attester);
        _latestRound = round;
        _rounds[round] = Round(int256(shares), asOf);
        emit AnswerUpdated(int256(shares), round, block.timestamp);
    }
}
