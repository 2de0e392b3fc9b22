// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IToken {
    function transfer(address to, uint256 value) external returns (bool);
    function transferFrom(address from, address to, uint256 value) external returns (bool);
}

/// A lending pool: lenders deposit the debt asset; borrowers post collateral and borrow against it
/// at an oracle price; debt grows with a borrow index accrued per second; positions whose debt
/// exceeds the liquidation threshold of their collateral value can be liquidated with a bonus.
contract Lending {
    uint256 constant WAD = 1e18;
    uint256 constant MAX_LTV = 75e16; // borrow up to 75% of the collateral value
    uint256 constant LIQUIDATION_THRESHOLD = 80e16; // liquidatable above 80%
    uint256 constant LIQUIDATION_BONUS = 105e16; // the liquidator gets 5% extra collateral
    uint256 constant CLOSE_FACTOR = 50e16; // at most half the debt per liquidation

    IToken public collateralToken;
    IToken public debtToken;
    address public oracle;
    uint256 public price; // debt units per collateral unit, WAD
    uint256 public borrowIndex; // WAD, grows with interest
    uint256 public ratePerSecond; // WAD
    uint256 public lastAccrual;
    uint256 public totalDeposits;
    uint256 public totalScaledDebt;
    mapping(address => uint256) public deposits;
    mapping(address => uint256) public collateralOf;
    mapping(address => uint256) public scaledDebtOf;

    event Deposit(address indexed lender, uint256 amount);
    event Borrow(address indexed borrower, uint256 amount);
    event Repay(address indexed borrower, uint256 amount);
    event Liquidate(address indexed liquidator, address indexed borrower, uint256 repaid, uint256 seized);
    event Price(uint256 price);

    function accrue() public {
        uint256 dt = block.timestamp - lastAccrual;
        if (dt == 0) return;
        borrowIndex += (borrowIndex * ratePerSecond * dt) / WAD;
        lastAccrual = block.timestamp;
    }

    function debtOf(address who) public view returns (uint256) {
        return (scaledDebtOf[who] * borrowIndex + WAD - 1) / WAD;
    }

    function collateralValue(address who) public view returns (uint256) {
        return (collateralOf[who] * price) / WAD;
    }

    function setPrice(uint256 p) external {
        require(msg.sender == oracle, "oracle");
        price = p;
        emit Price(p);
    }

    function deposit(uint256 amount) external {
        accrue();
        require(debtToken.transferFrom(msg.sender, address(this), amount));
        deposits[msg.sender] += amount;
        totalDeposits += amount;
        emit Deposit(msg.sender, amount);
    }

    function supplyCollateral(uint256 amount) external {
        require(collateralToken.transferFrom(msg.sender, address(this), amount));
        collateralOf[msg.sender] += amount;
    }

    /// Borrows `amount`, posting `collateral` more first (the leverage step in one call).
    function borrow(uint256 collateral, uint256 amount) external {
        accrue();
        if (collateral > 0) {
            require(collateralToken.transferFrom(msg.sender, address(this), collateral));
            collateralOf[msg.sender] += collateral;
        }
        uint256 scaled = (amount * WAD + borrowIndex - 1) / borrowIndex;
        scaledDebtOf[msg.sender] += scaled;
        totalScaledDebt += scaled;
        require(debtOf(msg.sender) * WAD <= collateralValue(msg.sender) * MAX_LTV, "undercollateralised");
        require(debtToken.transfer(msg.sender, amount));
        emit Borrow(msg.sender, amount);
    }

    function repay(uint256 amount) external {
        accrue();
        uint256 owed = debtOf(msg.sender);
        if (amount > owed) amount = owed;
        uint256 scaled = (amount * WAD) / borrowIndex;
        if (scaled > scaledDebtOf[msg.sender]) scaled = scaledDebtOf[msg.sender];
        scaledDebtOf[msg.sender] -= scaled;
        totalScaledDebt -= scaled;
        require(debtToken.transferFrom(msg.sender, address(this), amount));
        emit Repay(msg.sender, amount);
    }

    /// Repays up to half of `borrower`'s debt and seizes collateral worth the repayment plus 5%.
    function liquidate(address borrower, uint256 amount) external {
        accrue();
        uint256 owed = debtOf(borrower);
        require(owed * WAD > collateralValue(borrower) * LIQUIDATION_THRESHOLD, "healthy");
        uint256 maxRepay = (owed * CLOSE_FACTOR) / WAD;
        if (amount > maxRepay) amount = maxRepay;
        uint256 seize = (((amount * LIQUIDATION_BONUS) / WAD) * WAD) / price;
        if (seize > collateralOf[borrower]) seize = collateralOf[borrower];
        uint256 scaled = (amount * WAD) / borrowIndex;
        if (scaled > scaledDebtOf[borrower]) scaled = scaledDebtOf[borrower];
        scaledDebtOf[borrower] -= scaled;
        totalScaledDebt -= scaled;
        collateralOf[borrower] -= seize;
        require(debtToken.transferFrom(msg.sender, address(this), amount));
        require(collateralToken.transfer(msg.sender, seize));
        emit Liquidate(msg.sender, borrower, amount, seize);
    }
}
