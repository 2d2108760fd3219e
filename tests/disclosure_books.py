"""A small compound's books for the disclosure tests (register: tests.conftest.SMALL_REGISTER).

Common revenue 2024: opening 1,000 carried in; Q1 parking 3,000 (cost 450) and ads 600, working fund 500;
Q2 sweep 1,500, base-station rent 2,000, a dividend of 800, a bank fee of 10; Q3 nothing.
Maintenance fund 2024: first deposits 50,000; interest 100 by balance; a building-1 roof repair of 40,000
(R-3); an emergency riser repair of 2,000 in entrance 2-1 (disclosed 12 days later); a top-up of 5,000 by
1-1-101; 50 paid to an owner (王芳) for a lock, with no resolution.
"""

from __future__ import annotations

RESOLUTIONS = """\
2023-12-20 custom "resolution" "R-1" "9" "共有收益管理办法"
  valid_until: 2030-12-31
  voted_area: 500.00
  voted_count: 4
  agree_area: 400.00
  agree_count: 3

2024-05-30 custom "resolution" "R-2" "9" "2024年共有收益业主分红"
  budget: 800.00 CNY
  valid_until: 2024-12-31
  voted_area: 500.00
  voted_count: 4
  agree_area: 400.00
  agree_count: 3

2024-04-20 custom "resolution" "R-3" "5" "1号楼屋面防水翻修"
  budget: 42000.00 CNY
  valid_until: 2024-12-31
  voted_area: 500.00
  voted_count: 4
  agree_area: 400.00
  agree_count: 3

2024-07-20 custom "disclosure" "emergency" "^em-1"
"""

BOOKS = """\
2024-01-01 * "首期维修资金" "首期维修资金划入"
  Assets:MaintenanceFund:Bank-维修资金专户  50000.00 CNY
  Income:MaintenanceFund:Deposit-首期交存  -50000.00 CNY
    apportion: "first-deposit"

2024-01-05 * "期初" "共有收益期初余额结转"
  Assets:CommonRevenue:Bank-共有收益户  1000.00 CNY
  Equity:CommonRevenue:Opening-期初  -1000.00 CNY

2024-01-06 * "测试小区业主委员会" "2024年度工作经费拨付"
  interfund: "R-1"
  Expenses:CommonRevenue:WorkingFund-拨付工作经费  500.00 CNY
  Assets:CommonRevenue:Bank-共有收益户  -500.00 CNY
  Assets:Committee:Bank-工作经费户  500.00 CNY
  Income:Committee:WorkingFund-工作经费拨入  -500.00 CNY

2024-02-10 * "测试物业有限公司" "2024年1月停车费共有收益上缴"
  Assets:CommonRevenue:Bank-共有收益户  2550.00 CNY
  Expenses:CommonRevenue:OperatingCost-经营成本  450.00 CNY
  Income:CommonRevenue:Parking-停车  -3000.00 CNY

2024-03-15 * "梯媒广告" "2024年第一季度电梯广告费"
  Assets:CommonRevenue:Bank-共有收益户  600.00 CNY
  Income:CommonRevenue:Advertising-广告  -600.00 CNY

2024-03-21 * "银行" "结息"
  Assets:MaintenanceFund:Bank-维修资金专户  100.00 CNY
  Income:MaintenanceFund:Interest-利息  -100.00 CNY
    apportion: "by-balance"

2024-04-05 * "共有收益" "2024Q1 共有收益转入维修资金" #sweep
  interfund: "R-1"
  Expenses:CommonRevenue:Sweep-转入维修资金  1500.00 CNY
  Assets:CommonRevenue:Bank-共有收益户  -1500.00 CNY
  Assets:MaintenanceFund:Bank-维修资金专户  1500.00 CNY
  Income:MaintenanceFund:TransferIn-共有收益转入  -1500.00 CNY

2024-05-10 * "上海建筑防水工程有限公司" "1号楼屋面防水翻修工程款"
  resolution: "R-3"
  Expenses:MaintenanceFund:Repair-维修:Roof-屋面防水  40000.00 CNY
    apportion: "building:1"
  Assets:MaintenanceFund:Bank-维修资金专户  -40000.00 CNY

2024-05-20 * "中国铁塔" "2024年第二季度通信基站租金"
  Assets:CommonRevenue:Bank-共有收益户  2000.00 CNY
  Income:CommonRevenue:BaseStation-基站  -2000.00 CNY

2024-06-10 * "业主分红代发" "2024年共有收益业主分红"
  resolution: "R-2"
  distribution: "dividend"
  Expenses:CommonRevenue:Dividend-业主分红  800.00 CNY
    apportion: "all"
  Assets:CommonRevenue:Bank-共有收益户  -800.00 CNY

2024-06-25 * "银行" "账户管理费"
  Expenses:CommonRevenue:BankFee-手续费  10.00 CNY
  Assets:CommonRevenue:Bank-共有收益户  -10.00 CNY

2024-07-08 * "上海市政管网工程有限公司" "2-1单元给水立管爆裂应急抢修" ^em-1
  emergency: "给水立管爆裂"
  Expenses:MaintenanceFund:Repair-维修:Pipes-管网  2000.00 CNY
    apportion: "entrance:2-1"
  Assets:MaintenanceFund:Bank-维修资金专户  -2000.00 CNY

2024-09-01 * "1-1-101" "1-1-101 维修资金续交"
  Assets:MaintenanceFund:Bank-维修资金专户  5000.00 CNY
  Income:MaintenanceFund:TopUp-续交  -5000.00 CNY
    apportion: "units:1-1-101"

2024-10-10 * "王芳" "王芳垫付1-2-101门锁维修 电话13800000002"
  Expenses:MaintenanceFund:Repair-维修:Other-其他  50.00 CNY
    apportion: "units:1-2-101"
  Assets:MaintenanceFund:Bank-维修资金专户  -50.00 CNY

2025-01-01 balance Assets:MaintenanceFund:Bank-维修资金专户  14550.00 CNY
"""

ONE_HOUSEHOLD = """\
unit,building,entrance,floor,area,area_source,owner_id,owner_name,first_deposit,sold,delivered,phone
1-1-101,1,1,1,88.00,registered,O1,欧阳娜娜,8800.00,是,是,13900000009
"""
